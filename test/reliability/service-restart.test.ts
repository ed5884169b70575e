import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { withDatabaseName } from '../../src/config/mongo-uri';
import { ContactRecord } from '../../src/engine/records/record.schema';
import { Harness, startHarness, uploadCsv } from '../support/intake-harness';
import { uniqueName } from '../support/test-env';
import {
  csvOf,
  expectedOutcome,
  FAST_RECOVERY,
  killAll,
  RestartableServer,
  sleep,
  startOwnFerretDb,
  startOwnRedis,
  startWorker,
  waitForEnd,
  waitUntil,
  Worker,
} from './fault-support';

/**
 * Redis, then the MongoDB-wire server (FerretDB), killed with SIGKILL mid-import and started again on
 * the same port: the import must complete, or fail with a clear reason and complete when retried;
 * never stay `running`, never duplicate a record. Each test owns its servers so others are undisturbed.
 */
const ROWS = 30_000;
const SEED = 91;

let redis: RestartableServer;
let mongo: RestartableServer;
let h: Harness | undefined;
const workers: Worker[] = [];

beforeAll(async () => {
  [redis, mongo] = await Promise.all([startOwnRedis(), startOwnFerretDb()]);
});
afterEach(async () => {
  killAll(workers);
  await h?.close().catch(() => undefined);
  h = undefined;
});
afterAll(async () => {
  await Promise.all([redis?.close(), mongo?.close()]);
});

async function harness(name: string): Promise<Harness> {
  h = await startHarness(name, {
    INTAKE_ROLES: 'api',
    MONGODB_URI: withDatabaseName(mongo.url, uniqueName(name)),
    REDIS_URL: redis.url,
    ...FAST_RECOVERY,
  });
  return h;
}

/** Runs one import, calls `fault` once a fifth is committed, then checks the outcome is exact. */
async function importThrough(name: string, fault: () => Promise<void>) {
  const hh = await harness(name);
  const expected = expectedOutcome(ROWS, SEED);
  const view = await uploadCsv(hh, csvOf(ROWS, SEED), 'clients');
  workers.push(startWorker(hh.env));
  await hh.imports.start(hh.workspaceId, view.id);
  await waitUntil(hh, view.id, (v) => v.committedRow > ROWS / 5 || v.status === 'completed', 120_000);
  await fault();
  let done = await waitForEnd(hh, view.id, 180_000);
  const failures: string[] = [];
  for (let i = 0; done.status === 'failed' && i < 3; i++) {
    failures.push(`${done.error?.code}: ${done.error?.message}`);
    expect(done.error?.message).toMatch(/\w/);
    await hh.imports.retry(hh.workspaceId, view.id);
    done = await waitForEnd(hh, view.id, 180_000);
  }
  console.log(
    `${name}: ${done.status} ${JSON.stringify(done.counts)}; failures then retried: ${JSON.stringify(failures)}`,
  );
  const warnings = workers.flatMap((w) => w.output().split('\n')).filter((l) => /WARN|ERROR/.test(l));
  console.log(
    `${name}: worker warnings:\n${warnings.map((l) => l.replace(/\x1b\[[0-9;]*m/g, '')).join('\n')}`,
  );
  expect(done.status).toBe('completed');
  expect(done.counts.total).toBe(ROWS);
  expect(done.counts.imported).toBe(expected.firstRow.size);
  expect(done.counts.skipped).toBe(expected.skipped);
  const records = hh.app.context.get<Model<ContactRecord>>(getModelToken(ContactRecord.name));
  const keys = (await records.collection
    .find({ type: 'clients' }, { projection: { _id: 0, key: 1, sourceRow: 1 } })
    .toArray()) as unknown as { key: string; sourceRow: number }[];
  const present = new Set(keys.map((k) => k.key));
  const missing = [...expected.firstRow].filter(([k]) => !present.has(k)).map(([, row]) => row);
  if (missing.length)
    console.log(`${name}: ${missing.length} records missing, rows ${missing[0]}…${missing.at(-1)}`);
  expect(keys.length).toBe(expected.firstRow.size);
  expect(keys.filter((r) => expected.firstRow.get(r.key) !== r.sourceRow)).toEqual([]);
}

test('Redis killed and restarted (empty) mid-import: the import completes exactly', async () => {
  await importThrough('redis_restart', async () => {
    await redis.kill();
    await sleep(1500);
    await redis.start();
  });
}, 420_000);

test('FerretDB killed and restarted mid-import: completed or failed-then-retried, exactly', async () => {
  await importThrough('ferret_restart', async () => {
    await mongo.kill();
    await sleep(1500);
    await mongo.start();
  });
}, 420_000);
