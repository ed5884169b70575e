import { getModelToken } from '@nestjs/mongoose';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Model } from 'mongoose';
import { Import } from '../../src/engine/imports/import.schema';
import { uploadCsv, uploadsSettled } from '../support/intake-harness';
import { mailWithAttachment, repliesTo, send, Sink } from '../email/mail-support';
import { mapping, share, startWorldWithMail, textsIn, World } from '../slack/slack-world';

/**
 * ATTACK: a person (or a script with a key, a mail loop, a Slack bot) piles up uploads nobody maps.
 * Beyond the workspace's quota every door refuses with the same clear sentence, and nothing is stored:
 * no import, no uploaded file.
 */
const QUOTA = 2;
const FULL = `This workspace has ${QUOTA} imports waiting for a mapping; start or cancel some first.`;
const DOMAIN = 'quota.test';
const CSV = 'First Name,Email\nAna,ana@quota.example.com\n';

let w: World;
let sink: Sink;
const CLI = join(__dirname, '../../dist/src/doors/cli/main.js');

beforeAll(async () => {
  ({ w, sink } = await startWorldWithMail('quota_mapping', DOMAIN, {
    INTAKE_AWAITING_MAPPING_PER_WORKSPACE: String(QUOTA),
  }));
});
afterAll(() => w.close());

const imports = () => w.h.app.context.get<Model<Import>>(getModelToken(Import.name));
/** What is stored: imports and uploaded files (GridFS) of the workspace. */
async function stored(): Promise<{ imports: number; files: number }> {
  const model = imports();
  await uploadsSettled(w.h);
  return {
    imports: await model.countDocuments({ workspaceId: w.h.workspaceId }),
    files: await model.db.collection('uploads.files').countDocuments({}),
  };
}

/** Fills the workspace to its quota of imports waiting for a mapping; returns their ids. */
async function fill(): Promise<string[]> {
  const waiting = await imports().find({ workspaceId: w.h.workspaceId, status: 'awaiting_mapping' });
  const ids = waiting.map((d) => String(d._id));
  while (ids.length < QUOTA) ids.push((await uploadCsv(w.h, CSV, 'clients')).id);
  return ids;
}

function upload(csv: string) {
  const form = new FormData();
  form.append('type', 'clients');
  form.append('file', new Blob([csv]), 'more.csv');
  return fetch(`${w.h.url}/imports`, {
    method: 'POST',
    body: form,
    headers: { Authorization: `Bearer ${w.h.apiKey}` },
  });
}

test('HTTP: an upload beyond the quota gets 429 with the sentence, and nothing is stored', async () => {
  const waiting = await fill();
  const before = await stored();
  const res = await upload(CSV);
  expect(res.status).toBe(429);
  expect(await res.json()).toMatchObject({ error: { code: 'quota_exceeded', message: FULL } });
  expect(await stored()).toEqual(before);

  // Starting (or cancelling) one makes room again.
  await w.h.imports.cancel(w.h.workspaceId, waiting[0]!);
  expect((await upload(CSV)).status).toBe(201);
});

test('Slack: a file shared beyond the quota is refused in its thread, and nothing is stored', async () => {
  await fill();
  const before = await stored();
  const s = await share(w, CSV, { name: 'more.csv' });
  await w.slack.waitFor('the refusal', () => textsIn(w, s.channel).find((t) => t.includes(FULL)) ?? null);
  expect(await stored()).toEqual(before);
  expect(
    w.slack.posted().filter((p) => p.channel === s.channel && /intake_column/.test(p.blocksJson)),
  ).toEqual([]);
});

test('email: a CSV mailed beyond the quota is answered with the sentence, and no import or upload is stored', async () => {
  await fill();
  const before = await stored();
  const from = 'pile@example.com';
  const raw = mailWithAttachment({
    from: `Pile <${from}>`,
    to: `clients@${DOMAIN}`,
    subject: 'more clients',
    messageId: 'quota-1@example.com',
    fileName: 'more.csv',
    content: CSV,
  });
  expect(await send(w.h, { from, to: `clients@${DOMAIN}` }, raw)).toEqual({ ok: true });
  const [answer] = await repliesTo(sink, from);
  expect(answer!.text?.replace(/\s+/g, ' ')).toContain(FULL);
  expect(await stored()).toEqual(before);
});

test('CLI: an import beyond the quota is rejected with the sentence (exit 2), and nothing is stored', async () => {
  await fill();
  const before = await stored();
  const dir = mkdtempSync(join(tmpdir(), 'intake-quota-'));
  const path = join(dir, 'more.csv');
  writeFileSync(path, CSV);
  const run = promisify(execFile);
  const out = await run('node', [CLI, 'import', path, '--type', 'clients', '--json'], {
    env: { ...process.env, ...w.h.env, INTAKE_ROLES: 'api' },
    timeout: 90_000,
  }).then(
    () => ({ code: 0, stdout: '' }),
    (e: { code: number; stdout: string }) => e,
  );
  expect(out.code).toBe(2);
  expect(JSON.parse(out.stdout)).toEqual({
    status: 'rejected',
    error: { code: 'quota_exceeded', message: FULL },
  });
  expect(await stored()).toEqual(before);
});

test('the quota counts only imports waiting for a mapping: a started one frees its place', async () => {
  const [first] = await fill();
  await w.h.imports.start(w.h.workspaceId, first!);
  const view = await uploadCsv(w.h, CSV, 'clients');
  expect(view.status).toBe('awaiting_mapping');
  await expect(uploadCsv(w.h, CSV, 'clients')).rejects.toThrow(FULL);
});

test('once there is room again, a Slack share gets its mapping proposal', async () => {
  const waiting = await fill();
  for (const id of waiting) await w.h.imports.cancel(w.h.workspaceId, id);
  const c = await mapping(w, await share(w, CSV, { name: 'room.csv' }));
  expect(c.importId).toMatch(/^imp_/);
});
