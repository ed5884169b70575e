import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { mongo } from 'mongoose';
import { ImportsRepository } from '../../src/engine/imports/imports.repository';
import { mailWithAttachment, repliesTo, send, Sink, startSink } from '../email/mail-support';
import { bearer, database, errorOf, request, storedCounts } from '../security/http-support';
import { Harness, importCsv, uploadsSettled } from '../support/intake-harness';
import { SkippingClock, startSweptWorld } from './swept-world';

/**
 * ATTACK: a tenant fills the database: big files, files of imports it cancels, reports of millions of
 * skipped rows. What a workspace keeps is counted (stored files' bytes, report rows) and bounded; a
 * full workspace is refused with one sentence in every door (413 over HTTP) and nothing is stored.
 * Cancelled imports' files go at once; report rows go with the files after the retention period,
 * leaving their summary as the report.
 */
const DOMAIN = 'storage.test';
const CLI = join(__dirname, '../../dist/src/doors/cli/main.js');

let sink: Sink;
const open: Harness[] = [];
beforeAll(async () => {
  sink = await startSink();
});
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});
afterAll(() => sink.close());

async function world(name: string, extra: NodeJS.ProcessEnv, clock = new SkippingClock()) {
  const w = await startSweptWorld(name, { sink, domain: DOMAIN }, extra, clock);
  open.push(w.h);
  return w;
}

/** A clients CSV of exactly `bytes` bytes (its one row's notes padded). */
function csvOf(bytes: number, email = 'ana@storage.example.com'): string {
  const head = `First Name,Email,Notes\nAna,${email},`;
  return head + 'x'.repeat(bytes - head.length - 1) + '\n';
}

function upload(h: Harness, csv: string): Promise<Response> {
  const form = new FormData();
  form.append('type', 'clients');
  form.append('file', new Blob([csv]), 'more.csv');
  return request(h, '/imports', { method: 'POST', body: form }, bearer(h.apiKey));
}

const full = (files: string, rows: string) =>
  `This workspace's storage is full (${files} of files or ${rows} report rows); cancel imports waiting ` +
  "for a mapping or wait until ended imports' files and reports are deleted, 30 days after they end.";

async function cli(h: Harness, csv: string): Promise<{ code: number; stdout: string }> {
  const path = join(mkdtempSync(join(tmpdir(), 'intake-storage-')), 'more.csv');
  writeFileSync(path, csv);
  return promisify(execFile)('node', [CLI, 'import', path, '--type', 'clients', '--json'], {
    env: { ...process.env, ...h.env, INTAKE_ROLES: 'api' },
    timeout: 90_000,
  }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => e,
  );
}

async function mail(h: Harness, from: string, csv: string): Promise<string> {
  const to = `clients@${DOMAIN}`;
  const raw = mailWithAttachment({
    from: `Filler <${from}>`,
    to,
    subject: 'more clients',
    fileName: 'more.csv',
    content: csv,
  });
  expect(await send(h, { from, to: `clients@${DOMAIN}` }, raw)).toEqual({ ok: true });
  const [answer] = await repliesTo(sink, from);
  return answer!.text?.replace(/\s+/g, ' ') ?? '';
}

const storageUse = (h: Harness) => h.app.context.get(ImportsRepository).storageUse(h.workspaceId);

test('a full workspace is refused with one sentence: 413 over HTTP, rejected in the CLI, answered by email; nothing is stored', async () => {
  const { h } = await world('storage_full', { INTAKE_STORAGE_QUOTA_BYTES: '1000' });
  const FULL = full('1,000 bytes', '2,000,000');
  expect((await upload(h, csvOf(1000))).status).toBe(201);
  const before = await storedCounts(h);

  const res = await upload(h, csvOf(200));
  expect(res.status).toBe(413);
  expect(await errorOf(res)).toMatchObject({ code: 'storage_full', message: FULL });

  const out = await cli(h, csvOf(200));
  expect(out.code).toBe(2);
  expect(JSON.parse(out.stdout)).toEqual({
    status: 'rejected',
    error: { code: 'storage_full', message: FULL },
  });

  expect(await mail(h, 'filler@example.com', csvOf(200))).toContain(FULL);
  expect(await storedCounts(h)).toEqual(before);
});

test('a file that would pass the byte quota is refused while it arrives, and nothing of it is kept', async () => {
  const { h } = await world('storage_room', { INTAKE_STORAGE_QUOTA_BYTES: '1000' });
  const res = await upload(h, csvOf(1500));
  expect(res.status).toBe(413);
  expect(await errorOf(res)).toMatchObject({
    code: 'storage_full',
    message: full('1,000 bytes', '2,000,000'),
  });
  expect(await storedCounts(h)).toEqual({ imports: 0, files: 0 });
});

test("a cancelled import's file is deleted at once and no longer counts: the room is free again", async () => {
  const { h, sweep } = await world('storage_cancel', { INTAKE_STORAGE_QUOTA_BYTES: '1000' });
  const first = (await (await upload(h, csvOf(1000))).json()) as { id: string };
  await uploadsSettled(h);
  expect(await storedCounts(h)).toEqual({ imports: 1, files: 1 });
  expect((await upload(h, csvOf(200))).status).toBe(413);

  const cancelled = await request(h, `/imports/${first.id}/cancel`, { method: 'POST' }, bearer(h.apiKey));
  expect(cancelled.status).toBe(200);
  const fileId = (await h.app.context.get(ImportsRepository).get(h.workspaceId, first.id)).fileId;
  const chunks = await database(h)
    .collection('uploads.chunks')
    .countDocuments({ files_id: new mongo.ObjectId(fileId) });
  expect({ files: (await storedCounts(h)).files, chunks }).toEqual({ files: 0, chunks: 0 });
  expect(await storageUse(h)).toEqual({ bytes: 0, reportRows: 0 });
  expect((await sweep.sweep()).filesDeleted).toBe(0); // nothing left for the sweep
  expect((await upload(h, csvOf(200))).status).toBe(201);
});

test('report rows count against the quota until the retention period, then are deleted in batches; the report stays as its summary', async () => {
  const ROWS = 2500;
  const { h, clock, sweep } = await world('storage_rows', { INTAKE_REPORT_ROWS_QUOTA: String(ROWS) });
  const bad = ['First Name,Email', ...Array.from({ length: ROWS }, (_, i) => `Row${i},not-an-email-${i}`)];
  const done = await importCsv(h, bad.join('\n') + '\n', 'clients');
  expect([done.status, done.counts.skipped]).toEqual(['completed', ROWS]);
  const rows = () => database(h).collection('import_rows').countDocuments({ importId: done.id });
  expect(await rows()).toBe(ROWS);
  expect((await storageUse(h)).reportRows).toBe(ROWS);

  const res = await upload(h, csvOf(200));
  expect(res.status).toBe(413);
  expect(await errorOf(res)).toMatchObject({ code: 'storage_full', message: full('5 GB', '2,500') });

  clock.skipDays(29);
  expect((await sweep.sweep()).reportRowsDeleted).toBe(0);
  expect(await rows()).toBe(ROWS);

  clock.skipDays(2);
  expect(await sweep.sweep()).toMatchObject({ filesDeleted: 1, reportRowsDeleted: ROWS });
  expect(await rows()).toBe(0);
  expect(await storageUse(h)).toEqual({ bytes: 0, reportRows: 0 });
  expect((await sweep.sweep()).reportRowsDeleted).toBe(0); // idempotent

  const report = await request(h, `/imports/${done.id}/report`, {}, bearer(h.apiKey));
  expect(report.status).toBe(200);
  expect((await report.text()).split('\n')).toEqual([
    'reason,outcome,rows',
    `invalid email,skipped,${ROWS}`,
    '',
  ]);
  expect((await upload(h, csvOf(200))).status).toBe(201);
});
