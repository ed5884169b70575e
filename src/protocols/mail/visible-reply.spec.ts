import { visibleReply } from './visible-reply';

describe('visibleReply', () => {
  it('drops the quoted history and keeps what the person wrote', () => {
    const text = [
      'Phone = Mobile number',
      'yes',
      '',
      'On Mon, Nov 23, 2026 at 6:14 PM Intake <intake@import.test> wrote:',
      '> To import with this mapping, reply "yes".',
      '> Notes = skip',
    ].join('\r\n');
    expect(visibleReply(text).trim()).toBe('Phone = Mobile number\nyes');
  });
  it('drops Outlook-style quoted headers too', () => {
    const text = 'ok\n\n-----Original Message-----\nFrom: Intake\nSent: Monday\n\nreply "yes"';
    expect(visibleReply(text).trim()).toBe('ok');
  });
});

describe('visibleReply on hostile input', () => {
  // Shapes that make the quote-header regexes backtrack: digits, "from" and "<" on one long line.
  const hostile = [
    '1234from<'.repeat(7_000),
    'Op schreef\n'.repeat(6_000),
    '\n \n'.repeat(20_000),
    `On ${'x '.repeat(30_000)}`,
    `yes\n${'12.34.2012 '.repeat(6_000)}`,
  ];
  it.each(hostile.map((t, i) => [i, t] as const))(
    'finishes quickly on pathological text #%i (~60 KB)',
    (_i, text) => {
      const started = process.cpuUsage();
      visibleReply(text);
      const used = process.cpuUsage(started);
      // The real figure is a few milliseconds; a 60 KB line used to take minutes. Generous for slow CI.
      expect((used.user + used.system) / 1000).toBeLessThan(1000);
    },
  );

  it('still reads the commands at the top of a long reply', () => {
    expect(
      visibleReply(`yes\n\n${'1234from<'.repeat(7_000)}`)
        .trim()
        .split('\n')[0],
    ).toBe('yes');
  });
});
