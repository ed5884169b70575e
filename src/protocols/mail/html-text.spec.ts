import { htmlHeadText } from './html-text';

describe('htmlHeadText', () => {
  it('reads the text of a reply written in HTML, one line per block', () => {
    const html =
      '<html><head><style>p{color:red}</style><title>x</title></head><body>' +
      '<div>yes</div><p>Phone = Mobile&nbsp;number</p>Notes&nbsp;=&nbsp;skip<br>Thanks &amp; bye</body></html>';
    expect(
      htmlHeadText(html, 1000)
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    ).toEqual(['yes', 'Phone = Mobile number', 'Notes = skip', 'Thanks & bye']);
  });

  it('stops at the quoted history and skips scripts and comments', () => {
    const html = '<SCRIPT>alert("yes")</Script><!-- cancel -->ok<blockquote>cancel</blockquote>';
    expect(htmlHeadText(html, 1000).trim()).toBe('ok');
  });

  it('decodes numeric entities and leaves unknown ones as they are', () => {
    expect(htmlHeadText('&#8594; &#x2192; &bogus; a&b', 100)).toBe('→ → &bogus; a&b');
  });

  it('returns at most maxChars characters', () => {
    expect(htmlHeadText(`<p>${'word '.repeat(10_000)}</p>`, 64)).toHaveLength(64);
  });

  it.each([
    ['20 MB of tags', `<p>${'<b>x</b> '.repeat(2_200_000)}</p>`],
    ['20 MB inside a script', `<script>${'<x'.repeat(10_000_000)}`],
    ['20 MB of unclosed entities', '&'.repeat(20_000_000)],
    ['many scripts', '<script>a</script>'.repeat(1_000_000)],
  ])('reads %s in linear time', (_name, html) => {
    const started = process.cpuUsage();
    htmlHeadText(html, 4096);
    const used = process.cpuUsage(started);
    // Tens of milliseconds in fact; html-to-text took 7 s on 20 MB. Generous for slow CI.
    expect((used.user + used.system) / 1000).toBeLessThan(2000);
  });
});
