import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fixture as mailFixture, repliesTo, send, Sink } from '../email/mail-support';
import { storedCounts } from '../security/http-support';
import { mapping, share, startWorld, startWorldWithMail, World } from '../slack/slack-world';
import { scratch, writeFile } from './limits-support';

/**
 * A file wider than the column limit is refused in every door before anything is stored or queued,
 * with the same sentence: Slack (signed events, the Web API stand-in), email (real SMTP) and the CLI.
 * The limit is lowered to 50 here so the files stay small; rows-columns.test.ts uses the default.
 */
const LIMIT = '50';
const REFUSAL =
  'This file has 60 columns; Intake takes at most 50. Remove the columns you do not need, or split the file.';
const DOMAIN = 'import.test';

let w: World;
let sink: Sink;

beforeAll(async () => {
  ({ w, sink } = await startWorldWithMail('limits_doors', DOMAIN, { INTAKE_MAX_COLUMNS: LIMIT }));
});
afterAll(() => w?.close());

function wideCsv(columns = 60): string {
  const header = Array.from({ length: columns }, (_, i) => (i === 0 ? 'Email' : `Column ${i}`)).join(',');
  const row = Array.from({ length: columns }, (_, i) => (i === 0 ? 'ana@example.com' : `v${i}`)).join(',');
  return `${header}\n${row}\n${row}\n`;
}

test('Slack: a file shared with too many columns gets the refusal in its thread; nothing is stored', async () => {
  const before = await storedCounts(w.h);
  const s = await share(w, wideCsv(), { name: 'wide.csv' });
  const note = await w.slack.waitFor('the refusal', () =>
    w.slack.posted().find((p) => p.channel === s.channel && p.text.includes('columns')),
  );
  expect(note.thread).toBe(s.threadTs);
  expect(note.text).toContain(REFUSAL);
  expect(await storedCounts(w.h)).toEqual(before);
});

test('email: an attachment with too many columns is answered with the refusal; nothing is stored', async () => {
  const ana = 'ana-wide@example.com';
  const before = await storedCounts(w.h);
  const csv = Buffer.from(wideCsv()).toString('base64');
  const raw = [
    `From: Ana <${ana}>`,
    `To: clients@${DOMAIN}`,
    'Subject: Wide clients',
    'Message-ID: <wide-1@example.com>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Here they are.',
    '--b1',
    'Content-Type: text/csv; name="wide.csv"',
    'Content-Disposition: attachment; filename="wide.csv"',
    'Content-Transfer-Encoding: base64',
    '',
    csv,
    '--b1--',
    '',
  ].join('\r\n');
  expect(await send(w.h, { from: ana, to: `clients@${DOMAIN}` }, raw)).toEqual({ ok: true });
  const [answer] = await repliesTo(sink, ana);
  expect(answer!.text).toContain(`wide.csv was not imported: ${REFUSAL}`);
  expect(await storedCounts(w.h)).toEqual(before);
  // The door still works for a sound file afterwards.
  const bo = 'bo-sound@example.com';
  expect(await send(w.h, { from: bo, to: `clients@${DOMAIN}` }, mailFixture('gmail-base64.eml', bo))).toEqual(
    {
      ok: true,
    },
  );
  expect((await repliesTo(sink, bo))[0]!.text).toContain('reply "yes"');
});

test('CLI: import and suggest refuse the file with the sentence and a non-zero exit; nothing is stored', async () => {
  const files = await scratch();
  try {
    const path = files.path('wide.csv');
    await writeFile(path, [wideCsv()]);
    const before = await storedCounts(w.h);
    const cli = join(__dirname, '../../dist/src/doors/cli/main.js');
    const env = { ...process.env, ...w.h.env, INTAKE_ROLES: 'api' };
    for (const args of [
      ['import', path, '-t', 'clients', '--yes', '--json', '--no-worker'],
      ['suggest', path, '--json', '--offline'],
    ]) {
      const out = await promisify(execFile)('node', [cli, ...args], { env, timeout: 90_000 }).then(
        (r) => ({ code: 0, stdout: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
      );
      expect(out.code).not.toBe(0);
      expect(JSON.parse(out.stdout)).toEqual({
        status: 'rejected',
        error: { code: 'too_many_columns', message: REFUSAL },
      });
    }
    expect(await storedCounts(w.h)).toEqual(before);
  } finally {
    await files.cleanup();
  }
});

test('the API: OpenAPI documents the refusal of a file with too many columns', async () => {
  const doc = (await (await fetch(`${w.h.url}/docs/openapi.json`)).json()) as {
    paths: Record<string, { post?: { responses: Record<string, { description: string }> } }>;
  };
  expect(doc.paths['/imports']?.post?.responses['422']?.description).toMatch(/too_many_columns/);
});

test('Slack: the widest file accepted by default (500 columns) is proposed over 13 messages within Block Kit limits', async () => {
  const wide = await startWorld('limits_doors_500');
  try {
    const s = await share(wide, wideCsv(500), { name: 'widest.csv' });
    const c = await mapping(wide, s, 13);
    expect(c.pages).toHaveLength(13);
    const posts = wide.slack.callsOf('chat.postMessage').filter((x) => x.args.channel === s.channel);
    for (const p of posts) {
      const blocks = p.args.blocks as { text?: { text: string }; accessory?: { options?: unknown[] } }[];
      expect(blocks.length).toBeLessThanOrEqual(50);
      for (const b of blocks) {
        expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
        expect(b.accessory?.options?.length ?? 0).toBeLessThanOrEqual(100);
      }
    }
    const last = wide.slack.posted().find((p) => p.ts === c.pages[12])!;
    expect(last.blocksJson).toContain(`col|${c.importId}|499`);
  } finally {
    await wide.close();
  }
});
