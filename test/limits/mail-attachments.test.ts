import type { Harness } from '../support/intake-harness';
import { repliesTo, send, Sink, startMailDoor } from '../email/mail-support';
import { eventually, importsFrom, measureInboundCpu, rawMessages } from './mail-limits-support';

let h: Harness;
let sink: Sink;
const DOMAIN = 'import.test';

let close: () => Promise<void>;

beforeAll(async () => {
  ({ h, sink, close } = await startMailDoor('mail-attachments', DOMAIN));
});
afterAll(() => close());

const name = (i: number) => `part-${String(i).padStart(3, '0')}.csv`;

/** One message carrying `count` tiny CSV files, each a valid import on its own. */
function manyCsvMail(from: string, count: number): string {
  const parts = Array.from({ length: count }, (_, i) =>
    [
      '--b1',
      `Content-Type: text/csv; name="${name(i + 1)}"`,
      `Content-Disposition: attachment; filename="${name(i + 1)}"`,
      '',
      'First Name,Last Name,Email',
      `Ana,Lopez,ana${i}@example.net`,
    ].join('\r\n'),
  );
  return [
    `From: ${from}`,
    `To: clients@${DOMAIN}`,
    'Subject: a lot of files',
    `Message-ID: <many-${count}@example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Here they are.',
    ...parts,
    '--b1--',
    '',
  ].join('\r\n');
}

test('a mail with 500 CSV attachments: the first 10 become imports, the answer names the others, which are never imported', async () => {
  const sender = 'many-files@example.com';
  const cpu = measureInboundCpu(h);
  try {
    expect(await send(h, { from: sender, to: `clients@${DOMAIN}` }, manyCsvMail(sender, 500))).toEqual({
      ok: true,
    });
    const [answer] = await repliesTo(sink, sender, 1, 60_000);
    const text = answer!.text!;
    expect(text).toContain('I read 10 files.');
    expect(text).toContain(
      'I take at most 10 CSV files from one message, so these 490 files were not imported: ' +
        `${name(11)}, ${name(12)}`,
    );
    expect(text).toContain(
      `${name(60)} and 440 more. Send them again in other messages, 10 at most in each.`,
    );
    expect(text).not.toContain(name(61));

    const made = await importsFrom(h, sender);
    expect(made.map((i) => i.fileName).sort()).toEqual(Array.from({ length: 10 }, (_, i) => name(i + 1)));
    await eventually(async () => cpu.runs.length === 1);
    expect(await rawMessages(h)).toBe(0);
    console.log(`500 attachments: inbound handler ${cpu.runs.map((r) => Math.round(r.cpuMs))} ms CPU`);
  } finally {
    cpu.restore();
  }
});

test('a mail with 1,500 parts, past what the MIME parser reads, gets a clear answer and imports nothing', async () => {
  const sender = 'too-many-parts@example.com';
  const cpu = measureInboundCpu(h);
  try {
    expect(await send(h, { from: sender, to: `clients@${DOMAIN}` }, manyCsvMail(sender, 1_500))).toEqual({
      ok: true,
    });
    const [answer] = await repliesTo(sink, sender, 1, 60_000);
    expect(answer!.subject).toBe('Your message to Intake could not be read');
    expect(answer!.text).toContain('nothing was imported');
    expect(answer!.text).toContain('at most 10 in each message');
    await eventually(async () => cpu.runs.length === 1);
    expect(await importsFrom(h, sender)).toEqual([]);
    expect(await rawMessages(h)).toBe(0);
    console.log(`1,500 parts: inbound handler ${Math.round(cpu.runs[0]!.cpuMs)} ms CPU`);
  } finally {
    cpu.restore();
  }
});
