import { mongo } from 'mongoose';
import { startApp, RunningApp } from '../../src/app/start';
import { normalizeHeader } from '../../src/core/mapping/header-normalize';
import { ACTION } from '../../src/doors/slack/slack-ids';
import { ConversationsRepository } from '../../src/doors/email/conversations.repository';
import { readToken } from '../../src/protocols/mail/reply-token';
import { ImportsRepository } from '../../src/engine/imports/imports.repository';
import { JobQueues } from '../../src/engine/queue/job-queues';
import { MappingMemoryRepository } from '../../src/engine/workspaces/mapping-memory.repository';
import { fixture, repliesTo, send, Sink, startSink } from '../email/mail-support';
import { mapping, share, startWorld } from '../slack/slack-world';
import { bearer, database, errorOf, request } from '../security/http-support';
import { RetentionSweep } from '../../src/engine/imports/retention-sweep';
import { Harness, importCsv, uploadCsv, uploadsSettled } from '../support/intake-harness';
import { DAY, SkippingClock, startSweptWorld, SweptWorld as World } from './swept-world';

// Retention and expiry with a clock the test moves forward, against real MongoDB/GridFS, Redis and SMTP.
const DOMAIN = 'import.test';

let sink: Sink;
const open: { close(): Promise<void> }[] = [];
let n = 0;
const person = (tag: string) => `${tag}-${++n}@example.com`;

beforeAll(async () => {
  sink = await startSink();
});
afterEach(async () => {
  for (const app of open.splice(0).reverse()) await app.close();
});
afterAll(() => sink.close());

/** An all-in-one Intake (API, SMTP, worker) whose clock the test moves; its timed sweep never fires by itself. */
async function world(name: string, extra: NodeJS.ProcessEnv = {}): Promise<World> {
  const w = await startSweptWorld(name, { sink, domain: DOMAIN }, extra);
  open.push(w.h);
  return w;
}

/** What GridFS still holds of a stored file. */
async function stored(h: Harness, fileId: string): Promise<{ files: number; chunks: number }> {
  const db = database(h);
  const id = new mongo.ObjectId(fileId);
  return {
    files: await db.collection('uploads.files').countDocuments({ _id: id }),
    chunks: await db.collection('uploads.chunks').countDocuments({ files_id: id }),
  };
}

const fileIdOf = async (h: Harness, id: string) =>
  (await h.app.context.get(ImportsRepository).get(h.workspaceId, id)).fileId;

const api = (h: Harness, path: string, method = 'GET') =>
  request(h, path, { method, headers: { 'Content-Type': 'application/json' } }, bearer(h.apiKey));

const PEOPLE = 'First Name,Email\nAna,ana@keep.example.com\nBob,bob@example\nCleo,cleo@keep.example.com\n';
const BROKEN = Buffer.concat([
  Buffer.from('First Name,Email\nAna,ana@broken.example.com\n'),
  Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 10, 0, 0, 7]),
]);

test('an ended import loses its stored file and report rows after the retention period; its listing, report summary and rollback still work', async () => {
  const { h, clock, sweep } = await world('retention-files');
  const done = await importCsv(h, PEOPLE, 'clients');
  expect([done.status, done.counts.imported, done.counts.skipped]).toEqual(['completed', 2, 1]);
  const fileId = await fileIdOf(h, done.id);
  expect((await stored(h, fileId)).chunks).toBeGreaterThan(0);

  clock.skipDays(29);
  expect((await sweep.sweep()).filesDeleted).toBe(0);
  expect((await stored(h, fileId)).files).toBe(1);

  clock.skipDays(2);
  expect((await sweep.sweep()).filesDeleted).toBe(1);
  expect(await stored(h, fileId)).toEqual({ files: 0, chunks: 0 });
  expect((await sweep.sweep()).filesDeleted).toBe(0); // idempotent

  const listed = (await (await api(h, '/imports')).json()) as { id: string; status: string }[];
  expect(listed.find((i) => i.id === done.id)?.status).toBe('completed');
  const report = await api(h, `/imports/${done.id}/report`);
  expect(report.status).toBe(200);
  // The report's rows went with the file; the report is their summary now.
  expect(await report.text()).toBe('reason,outcome,rows\ninvalid email,skipped,1\n');
  // A rollback needs the records' import id, not the file.
  const rolledBack = await api(h, `/imports/${done.id}/rollback`, 'POST');
  expect(rolledBack.status).toBe(200);
  expect(await rolledBack.json()).toMatchObject({ status: 'rolled_back', rollback: { deleted: 2 } });
  expect(await database(h).collection('records').countDocuments({ importId: done.id })).toBe(0);
});

test('a retry of a failed import, or the real run of a dry run, after its file was deleted is refused with the reason and queues nothing', async () => {
  const { h, clock, sweep } = await world('retention-refusals');
  const failed = await importCsv(h, BROKEN, 'clients');
  const dry = await importCsv(h, PEOPLE, 'clients', { dryRun: true });
  expect([failed.status, dry.status, dry.dryRun]).toEqual(['failed', 'completed', true]);

  clock.skipDays(31);
  expect((await sweep.sweep()).filesDeleted).toBe(2);

  const retry = await api(h, `/imports/${failed.id}/retry`, 'POST');
  expect(retry.status).toBe(409);
  expect(await errorOf(retry)).toEqual({
    code: 'conflict',
    message: `The file of import ${failed.id} was deleted 30 days after the import ended; upload it again to import it.`,
  });
  const real = await api(h, `/imports/${dry.id}/start`, 'POST');
  expect(real.status).toBe(409);
  expect((await errorOf(real)).message).toContain('was deleted 30 days after the import ended');

  const jobs = h.app.context.get(JobQueues);
  for (const [id, status] of [
    [failed.id, 'failed'],
    [dry.id, 'completed'],
  ] as const) {
    expect((await h.imports.get(h.workspaceId, id)).status).toBe(status);
    expect(await jobs.isPending('run-import', id)).toBe(false);
  }
  expect(await database(h).collection('records').countDocuments({ importId: dry.id })).toBe(0);
});

test('an emailed import nobody confirmed expires after 7 days: cancelled with the reason, its file deleted, the sender told in the thread', async () => {
  const { h, clock, sweep } = await world('retention-expiry');
  const ana = person('ana');
  expect(await send(h, { from: ana, to: `clients@${DOMAIN}` }, fixture('gmail-base64.eml', ana))).toEqual({
    ok: true,
  });
  const [proposal] = await repliesTo(sink, ana);
  const token = /^import\+([^@]+)@/.exec(proposal!.replyTo!.value[0]!.address!)![1]!;
  const conv = await h.app.context.get(ConversationsRepository).find(readToken(token)!.conversationId);
  const id = conv!.importIds[0]!;
  const fileId = await fileIdOf(h, id);

  clock.skipDays(6);
  expect((await sweep.sweep()).importsExpired).toBe(0);
  expect((await h.imports.get(h.workspaceId, id)).status).toBe('awaiting_mapping');

  clock.skipDays(2);
  expect(await sweep.sweep()).toMatchObject({ importsExpired: 1, filesDeleted: 1 });
  const expired = await h.imports.get(h.workspaceId, id);
  expect(expired.status).toBe('cancelled');
  expect(expired.error?.code).toBe('expired');
  expect(await stored(h, fileId)).toEqual({ files: 0, chunks: 0 });

  const [, told] = await repliesTo(sink, ana, 2);
  expect(told!.inReplyTo).toBe(proposal!.inReplyTo);
  expect(told!.text).toContain(
    'Import of fair-clients.csv expired. Nobody confirmed the mapping within 7 days, so nothing was imported and the file was deleted. To import it, send the file again.',
  );
  const late = await api(h, `/imports/${id}/start`, 'POST');
  expect(late.status).toBe(409);
  expect((await errorOf(late)).message).toBe(
    `Import ${id} expired. Nobody confirmed the mapping within 7 days, so nothing was imported and the file was deleted. Upload the file again.`,
  );
  expect(await database(h).collection('records').countDocuments({ importId: id })).toBe(0);
});

test('a Slack import nobody confirmed expires: the thread is told why, the mapping message loses its controls, the file is deleted', async () => {
  const clock = new SkippingClock();
  const w = await startWorld('retention-slack', { INTAKE_RETENTION_SWEEP_MS: String(DAY) }, { clock });
  open.push(w);
  const c = await mapping(w, await share(w, PEOPLE, { name: 'fair.csv' }));
  const fileId = await fileIdOf(w.h, c.importId);

  clock.skipDays(8);
  expect(await w.h.app.context.get(RetentionSweep).sweep()).toMatchObject({
    importsExpired: 1,
    filesDeleted: 1,
  });
  const told = await w.slack.waitFor('the expiry in the thread', () =>
    w.slack
      .posted()
      .find((p) => p.channel === c.channel && p.thread === c.threadTs && /expired/.test(p.text)),
  );
  expect(told.text).toBe(
    'Import of fair.csv expired. Nobody confirmed the mapping within 7 days, so nothing was imported and the file was deleted. To import it, send the file again.',
  );
  const edited = await w.slack.waitFor('the mapping message edited', () =>
    w.slack
      .callsOf('chat.update')
      .find((u) => u.args.ts === c.pages[0] && /Nobody confirmed this mapping/.test(JSON.stringify(u.args))),
  );
  expect(JSON.stringify(edited.args.blocks)).not.toContain(ACTION.start);
  expect(await stored(w.h, fileId)).toEqual({ files: 0, chunks: 0 });
  expect((await w.h.imports.get(w.h.workspaceId, c.importId)).status).toBe('cancelled');
});

test('an import that expires while its file is still being stored keeps no part of the file', async () => {
  const { h, clock, sweep } = await world('retention-storing');
  const lines = ['First Name,Email,Blob'];
  for (let i = 1; i <= 1500; i++) lines.push(`Ana${i},ana${i}@storing.example.com,${'z'.repeat(20_000)}`);
  const view = await uploadCsv(h, `${lines.join('\n')}\n`, 'clients');
  const fileId = await fileIdOf(h, view.id);
  clock.skipDays(8);
  // Usually while its 30 MB are still on their way into GridFS; the outcome is the same either way.
  expect(await sweep.sweep()).toMatchObject({ importsExpired: 1 });
  await uploadsSettled(h);
  expect((await h.imports.get(h.workspaceId, view.id)).status).toBe('cancelled');
  expect(await stored(h, fileId)).toEqual({ files: 0, chunks: 0 });
});

test('learned mappings are capped per workspace and type, the most recently confirmed kept, and loaded only for the file’s headers', async () => {
  const { h, clock, sweep } = await world('retention-learned', { INTAKE_LEARNED_MAPPINGS_MAX: '5' });
  const older = ['First Name', 'Email', 'Company', 'Notes'];
  const newer = ['fname', 'Work Email', 'Org', 'Mobile #'];
  await importCsv(h, `${older.join(',')}\nAna,ana@old.example.com,Acme,x\n`, 'clients', { byPerson: true });
  clock.skipDays(1);
  const newRows = `${newer.join(',')}\nBea,bea@new.example.com,Acme,+34 612 345 678\n`;
  await importCsv(h, newRows, 'clients', { byPerson: true });
  const memory = database(h).collection('mapping_memory');
  expect(await memory.countDocuments({ workspaceId: h.workspaceId, type: 'clients' })).toBe(8);

  expect((await sweep.sweep()).mappingsDropped).toBe(3);
  const kept = (await memory.find({ workspaceId: h.workspaceId, type: 'clients' }).toArray()).map(
    (r) => r.header as string,
  );
  expect(kept).toHaveLength(5);
  expect(kept).toEqual(expect.arrayContaining(newer.map(normalizeHeader)));
  expect((await sweep.sweep()).mappingsDropped).toBe(0);

  const learned = await h.app.context
    .get(MappingMemoryRepository)
    .learned(h.workspaceId, 'clients', ['fname', 'Nobody ever saw this']);
  expect([...learned]).toEqual([[normalizeHeader('fname'), 'firstName']]);
});

test('two workers sweeping at once do each thing once: one expiry (and one notice) per import, each file deleted once', async () => {
  const { h, clock, sweep } = await world('retention-race', { INTAKE_LEARNED_MAPPINGS_MAX: '1' });
  const other = (await startApp({ ...h.env, INTAKE_ROLES: 'worker' }, { clock })) as RunningApp;
  open.push(other);

  const bea = person('bea');
  expect((await send(h, { from: bea, to: `clients@${DOMAIN}` }, fixture('gmail-base64.eml', bea))).ok).toBe(
    true,
  );
  await repliesTo(sink, bea);
  const waiting = [
    await uploadCsv(h, PEOPLE, 'clients'),
    await uploadCsv(h, PEOPLE, 'leads'),
    await uploadCsv(h, PEOPLE, 'clients'),
  ];
  const ended = [
    await importCsv(h, PEOPLE, 'clients', { byPerson: true }),
    await importCsv(h, BROKEN, 'clients'),
  ];
  const files = await Promise.all([...waiting, ...ended].map((v) => fileIdOf(h, v.id)));

  clock.skipDays(31);
  const [a, b] = await Promise.all([sweep.sweep(), other.context.get(RetentionSweep).sweep()]);
  expect(a.importsExpired + b.importsExpired).toBe(4); // the emailed one and the three uploaded
  expect(a.filesDeleted + b.filesDeleted).toBe(6);
  expect(a.mappingsDropped + b.mappingsDropped).toBe(1); // two headers learned, one kept
  for (const f of files) expect(await stored(h, f)).toEqual({ files: 0, chunks: 0 });
  for (const v of waiting) expect((await h.imports.get(h.workspaceId, v.id)).error?.code).toBe('expired');

  const [, told] = await repliesTo(sink, bea, 2);
  expect(told!.text).toContain('expired. Nobody confirmed the mapping within 7 days');
  // The proposal and the one expiry notice, however many workers saw the import expire.
  expect(await database(h).collection('email_outbox').countDocuments({ 'mail.to': bea })).toBe(2);
  expect(await sweep.sweep()).toEqual({
    filesDeleted: 0,
    importsExpired: 0,
    mappingsDropped: 0,
    reportRowsDeleted: 0,
  });
});
