import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ContactRecord } from '../../src/engine/records/record.schema';
import { Harness, startHarness, uploadCsv } from '../support/intake-harness';
import {
  csvOf,
  expectedOutcome,
  FAST_RECOVERY,
  killAll,
  startWorker,
  waitForEnd,
  Worker,
} from './fault-support';

/**
 * Worker processes (concurrency 1 each) against the same MongoDB-wire server and Redis. Three of them,
 * so that one workspace may run two imports at once: a workspace never takes the last free slot.
 */
const ROWS = 15_000;

let h: Harness;
const workers: Worker[] = [];

beforeEach(async () => {
  h = await startHarness('worker_processes', { INTAKE_ROLES: 'api', ...FAST_RECOVERY });
  // Nothing is killed here: a job lock longer than the fault tests' keeps a starved CPU (three workers
  // on two busy cores) from passing a running import to another process as stalled.
  const oneSlot = { INTAKE_WORKER_CONCURRENCY: '1', INTAKE_JOB_LOCK_MS: '15000' };
  for (let i = 0; i < 3; i++) workers.push(startWorker(h.env, oneSlot));
});
afterEach(async () => {
  killAll(workers.splice(0));
  await h.close();
});

const records = () => h.app.context.get<Model<ContactRecord>>(getModelToken(ContactRecord.name));

/** Which worker logged running which import. */
const ranBy = (id: string) => workers.filter((w) => w.output().includes(`import ${id} running`)).length;

test('two workers on two different imports at once: each runs one, exact counts, unique records', async () => {
  const [a, b] = [expectedOutcome(ROWS, 201), expectedOutcome(ROWS, 202)];
  const views = [
    await uploadCsv(h, csvOf(ROWS, 201), 'clients'),
    await uploadCsv(h, csvOf(ROWS, 202), 'clients'),
  ];
  await Promise.all(views.map((v) => h.imports.start(h.workspaceId, v.id)));
  const [da, db] = await Promise.all(views.map((v) => waitForEnd(h, v.id)));
  expect(da!.counts).toMatchObject({ total: ROWS, imported: a.firstRow.size, skipped: a.skipped });
  expect(db!.counts).toMatchObject({ total: ROWS, imported: b.firstRow.size, skipped: b.skipped });
  expect(await records().countDocuments({ type: 'clients' })).toBe(a.firstRow.size + b.firstRow.size);
  // Two processes took one job each (concurrency 1 and two jobs at once).
  for (const v of views) expect(ranBy(v.id)).toBe(1);
  const ran = workers.filter((w) => views.some((v) => w.output().includes(`import ${v.id} running`)));
  expect(ran).toHaveLength(2);
});

test('the same file imported twice at once by two workers: each key once, counts add up', async () => {
  const e = expectedOutcome(ROWS, 203);
  const csv = csvOf(ROWS, 203);
  const views = [await uploadCsv(h, csv, 'clients'), await uploadCsv(h, csv, 'clients')];
  await Promise.all(views.map((v) => h.imports.start(h.workspaceId, v.id)));
  const [da, db] = await Promise.all(views.map((v) => waitForEnd(h, v.id)));
  expect(da!.status).toBe('completed');
  expect(db!.status).toBe('completed');
  expect(da!.counts.total).toBe(ROWS);
  expect(db!.counts.total).toBe(ROWS);
  expect(da!.counts.imported + db!.counts.imported).toBe(e.firstRow.size);
  expect(da!.counts.skipped + db!.counts.skipped).toBe(2 * ROWS - e.firstRow.size);
  const keys = (await records()
    .collection.find({ type: 'clients' }, { projection: { _id: 0, key: 1, importId: 1 } })
    .toArray()) as unknown as { key: string; importId: string }[];
  expect(keys.length).toBe(e.firstRow.size);
  expect(new Set(keys.map((k) => k.key)).size).toBe(e.firstRow.size);
  expect(keys.filter((k) => k.importId === views[0]!.id).length).toBe(da!.counts.imported);
  // Every batch of one import contends with the other's for the same keys: ~80 s on a busy 2-core machine.
}, 300_000);
