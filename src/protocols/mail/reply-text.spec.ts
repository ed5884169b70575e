import {
  boundedReplyText,
  MAX_REPLY_CHARS,
  MAX_REPLY_LINE_CHARS,
  MAX_REPLY_LINES,
  trimTrailing,
} from './reply-text';

describe('boundedReplyText', () => {
  it('keeps a normal reply as it is, with \\n line ends', () => {
    expect(boundedReplyText('yes\r\nPhone = Mobile\r\n\r\n> quoted')).toBe('yes\nPhone = Mobile\n\n> quoted');
  });

  it('reads at most MAX_REPLY_CHARS characters', () => {
    const text = `yes\n${'x'.repeat(400)}\n`.repeat(1000);
    const out = boundedReplyText(text);
    expect(out.length).toBeLessThanOrEqual(MAX_REPLY_CHARS);
    expect(out.startsWith('yes\n')).toBe(true);
  });

  it('reads at most MAX_REPLY_LINES lines, a run of blank lines counting as one', () => {
    expect(boundedReplyText('x\n'.repeat(100_000)).split('\n')).toHaveLength(MAX_REPLY_LINES);
    expect(boundedReplyText(`yes${'\r\n'.repeat(50_000)}Phone = Mobile`)).toBe('yes\n\nPhone = Mobile');
  });

  it('cuts every line to MAX_REPLY_LINE_CHARS', () => {
    const lines = boundedReplyText(`${'a'.repeat(2000)}\nyes\n${'b'.repeat(600)}`).split('\n');
    expect(lines.map((l) => l.length)).toEqual([MAX_REPLY_LINE_CHARS, 3, MAX_REPLY_LINE_CHARS]);
  });

  it('reads the head of 20 MB without copying it all', () => {
    const started = process.cpuUsage();
    const out = boundedReplyText(`yes\n${'a'.repeat(20_000_000)}`);
    const used = process.cpuUsage(started);
    expect(out).toBe(`yes\n${'a'.repeat(MAX_REPLY_LINE_CHARS)}`);
    expect((used.user + used.system) / 1000).toBeLessThan(500);
  });
});

describe('trimTrailing', () => {
  it('drops only the listed characters at the end', () => {
    expect(trimTrailing('yes!!. ', '.! ')).toBe('yes');
    expect(trimTrailing('a.b', '.')).toBe('a.b');
    expect(trimTrailing('...', '.')).toBe('');
  });
});
