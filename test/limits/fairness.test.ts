import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Readable } from 'node:stream';
import type { ImportView } from '../../src/engine/imports/import-view';
import { ContactRecord } from '../../src/engine/records/record.schema';
import { Harness, startHarness, uploadCsv, waitForEnd } from '../support/intake-harness';
import { csvOf, killAll, startWorker, waitUntil, Worker } from '../reliability/fault-support';

/** Imports take turns per workspace: a limit of running imports, one update lane per type, fair order. */

let h: Harness | undefined;
const workers: Worker[] = [];

afterEach(async () => {
  killAll(workers.splice(0));
  await h?.close();
  h = undefined;
});

const start = (ws: string, id: string, onDuplicate: 'skip' | 'update' = 'skip') =>
  h!.imports.start(ws, id, { onDuplicate });

async function uploadTo(ws: string, csv: Buffer, name: string): Promise<ImportView> {
  return h!.imports.upload(ws, Readable.from([csv]), { fileName: name, type: 'clients', channel: 'api' });
}

const ms = (d: Date | null) => new Date(d!).getTime();

/** The most imports whose [startedAt, finishedAt] overlap at one moment. */
function mostAtOnce(views: readonly ImportView[]): number {
  const edges = views.flatMap((v) => [
    { at: ms(v.startedAt), step: 1 },
    { at: ms(v.finishedAt), step: -1 },
  ]);
  // An end and a start at the same millisecond do not overlap.
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let now = 0;
  let most = 0;
  for (const e of edges) most = Math.max(most, (now += e.step));
  return most;
}

test("one workspace's ten queued imports do not hold back another workspace's import", async () => {
  h = await startHarness('fair_two_ws', {
    INTAKE_RUNNING_PER_WORKSPACE: '1',
    INTAKE_WORKER_CONCURRENCY: '2',
    INTAKE_BATCH_SIZE: '250',
  });
  const busy = [];
  for (let i = 0; i < 10; i++) busy.push(await uploadTo('busy', csvOf(1500, 300 + i), `busy-${i}.csv`));
  const calm = await uploadTo('calm', csvOf(1500, 400), 'calm.csv');
  for (const v of busy) await start('busy', v.id);

  // The last of the ten waits, and says why.
  const last = await h.imports.get('busy', busy[9]!.id);
  expect(last.status).toBe('queued');
  expect(last.waiting).toBe('waiting: 1 import of this workspace is running');

  const calmQueuedAt = Date.now();
  await start('calm', calm.id);
  const calmDone = await waitForEnd(h, calm.id, 120_000, 'calm');
  const busyDone = [];
  for (const v of busy) busyDone.push(await waitForEnd(h, v.id, 240_000, 'busy'));

  expect([calmDone, ...busyDone].every((v) => v.status === 'completed')).toBe(true);
  // First in, first out within the busy workspace, one at a time.
  const starts = busyDone.map((v) => ms(v.startedAt));
  expect(starts).toEqual([...starts].sort((a, b) => a - b));
  expect(mostAtOnce(busyDone)).toBe(1);
  // The calm workspace's import started before the busy workspace's line drained...
  expect(ms(calmDone.startedAt)).toBeLessThan(starts[9]!);
  // ...and within one import's time of being started.
  const longest = Math.max(...busyDone.map((v) => ms(v.finishedAt) - ms(v.startedAt)));
  expect(ms(calmDone.startedAt) - calmQueuedAt).toBeLessThanOrEqual(longest + 1000);
}, 300_000);

/** A file of `rows` people, each with a key of its own under `domain`. */
function people(rows: number, domain: string): string {
  const lines = ['First Name,Last Name,Email'];
  for (let i = 1; i <= rows; i++) lines.push(`P${i},Lane,p${i}@${domain}`);
  return `${lines.join('\n')}\n`;
}

test('two update-mode imports of one type in one workspace never run at once, and both complete', async () => {
  h = await startHarness('fair_update_lane', {
    INTAKE_RUNNING_PER_WORKSPACE: '3',
    INTAKE_WORKER_CONCURRENCY: '3',
    INTAKE_BATCH_SIZE: '250',
  });
  const rows = 2000;
  const first = await uploadCsv(h, people(rows, 'a.example.com'), 'clients', 'first.csv');
  const second = await uploadCsv(h, people(rows, 'b.example.com'), 'clients', 'second.csv');
  const leads = await uploadCsv(h, 'Name,Email\nAna,ana@leads.example.com\n', 'leads', 'leads.csv');
  await start(h.workspaceId, first.id, 'update');
  await start(h.workspaceId, second.id, 'update');
  // The second waits for the first, and says why.
  expect((await h.imports.get(h.workspaceId, second.id)).waiting).toBe(
    'waiting: another import updating clients is running in this workspace',
  );
  // Another type's update lane is its own.
  await start(h.workspaceId, leads.id, 'update');

  const a = await waitForEnd(h, first.id, 120_000);
  const b = await waitForEnd(h, second.id, 120_000);
  const l = await waitForEnd(h, leads.id, 120_000);
  expect([a.status, b.status, l.status]).toEqual(['completed', 'completed', 'completed']);
  expect(mostAtOnce([a, b])).toBe(1);
  expect(ms(b.startedAt)).toBeGreaterThanOrEqual(ms(a.finishedAt));
  expect([a.counts.imported, b.counts.imported]).toEqual([rows, rows]);
  const records = h.app.context.get<Model<ContactRecord>>(getModelToken(ContactRecord.name));
  expect(await records.countDocuments({ type: 'clients' })).toBe(2 * rows);
  // The leads import was not held back by the clients lane.
  expect(ms(l.startedAt)).toBeLessThan(ms(b.startedAt));
}, 300_000);

test('with two worker processes, a workspace never runs more imports at once than its limit', async () => {
  h = await startHarness('fair_two_workers', { INTAKE_ROLES: 'api', INTAKE_RUNNING_PER_WORKSPACE: '2' });
  const extra = { INTAKE_WORKER_CONCURRENCY: '3', INTAKE_BATCH_SIZE: '250', LOG_LEVEL: 'warn' };
  workers.push(startWorker(h.env, extra), startWorker(h.env, extra));
  const views = [];
  for (let i = 0; i < 6; i++) views.push(await uploadCsv(h, csvOf(2000, 600 + i), 'clients', `w${i}.csv`));
  for (const v of views) await start(h.workspaceId, v.id);
  const done = [];
  for (const v of views) done.push(await waitForEnd(h, v.id, 240_000));
  expect(done.every((v) => v.status === 'completed')).toBe(true);
  expect(mostAtOnce(done)).toBe(2);
}, 300_000);

test('a worker killed while holding a slot does not block its workspace: the slot lapses with its lease', async () => {
  h = await startHarness('fair_lease', {
    INTAKE_ROLES: 'api',
    INTAKE_RUNNING_PER_WORKSPACE: '1',
    INTAKE_SLOT_LEASE_MS: '1500',
  });
  // The queue's own stall recovery is slowed right down, so only the slot's lease can free the workspace.
  const slow = {
    INTAKE_JOB_LOCK_MS: '600000',
    INTAKE_STALLED_INTERVAL_MS: '600000',
    INTAKE_STALE_IMPORT_MS: '600000',
    INTAKE_SWEEP_MS: '300',
    INTAKE_BATCH_SIZE: '200',
    LOG_LEVEL: 'warn',
  };
  const doomed = startWorker(h.env, slow);
  workers.push(doomed);
  const big = await uploadCsv(h, csvOf(60_000, 700), 'clients', 'big.csv');
  await start(h.workspaceId, big.id);
  const small = await uploadCsv(h, csvOf(50, 701), 'clients', 'small.csv');
  await waitUntil(h, big.id, (v) => v.status === 'running' && v.committedRow > 0, 120_000);
  doomed.child.kill('SIGKILL');
  await start(h.workspaceId, small.id);
  expect((await h.imports.get(h.workspaceId, small.id)).waiting).toBe(
    'waiting: 1 import of this workspace is running',
  );
  workers.push(startWorker(h.env, slow));
  const done = await waitForEnd(h, small.id, 60_000);
  expect(done.status).toBe('completed');
  // Nothing gave the killed worker's import up: its lapsed lease alone let the next import in.
  expect((await h.imports.get(h.workspaceId, big.id)).status).toBe('running');
}, 300_000);
