import { Readable } from 'node:stream';
import type { ImportView } from '../../src/engine/imports/import-view';
import { Harness, startHarness, waitForEnd } from '../support/intake-harness';
import { csvOf, killAll, startWorker, sleep, Worker } from '../reliability/fault-support';

/**
 * One workspace's long imports never hold every worker slot while another workspace waits: with the
 * default limit (2 per workspace) and two worker slots in all, the long imports run one at a time and
 * another workspace's small import runs beside them. Real worker processes, real Redis and database.
 */

let h: Harness | undefined;
const workers: Worker[] = [];

afterEach(async () => {
  killAll(workers.splice(0));
  await h?.close();
  h = undefined;
});

/** Rows of each long dry run: long enough to outlast a two-row import many times over. */
const LONG_ROWS = 60_000;
const HELD = 'waiting: this workspace already runs 1 import, its share of the 2 worker slots';

async function uploadTo(ws: string, csv: Buffer, name: string): Promise<ImportView> {
  return h!.imports.upload(ws, Readable.from([csv]), { fileName: name, type: 'clients', channel: 'api' });
}

/** Reads the import until `done` holds; the view that made it hold. */
async function until(
  ws: string,
  id: string,
  done: (v: ImportView) => boolean,
  timeoutMs = 120_000,
): Promise<ImportView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await h!.imports.get(ws, id);
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`import ${id}: still ${v.status} (${v.waiting})`);
    await sleep(50);
  }
}

const ms = (d: Date | null) => new Date(d!).getTime();

/** The import as the HTTP API answers it (the hog is the API key's workspace). */
async function overHttp(id: string): Promise<ImportView> {
  const res = await fetch(`${h!.url}/imports/${id}`, { headers: { Authorization: `Bearer ${h!.apiKey}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as ImportView;
}

async function hogThenCalm(workerEnvs: readonly NodeJS.ProcessEnv[]): Promise<void> {
  h = await startHarness('fair_slots', { INTAKE_ROLES: 'api' });
  const hog = h.workspaceId;
  const long = [
    await uploadTo(hog, csvOf(LONG_ROWS, 910), 'long-1.csv'),
    await uploadTo(hog, csvOf(LONG_ROWS, 911), 'long-2.csv'),
  ];
  const small = await uploadTo(
    'calm',
    Buffer.from('First Name,Email\nAna,ana@x.example\nBo,bo@x.example\n'),
    's.csv',
  );
  for (const env of workerEnvs) workers.push(startWorker(h.env, { LOG_LEVEL: 'warn', ...env }));
  for (const v of long) await h.imports.start(hog, v.id, { dryRun: true });

  // The first runs; the second is held back for other workspaces, and says why.
  await until(hog, long[0]!.id, (v) => v.status === 'running' && v.counts.total > 0);
  const held = await until(hog, long[1]!.id, (v) => v.waiting === HELD);
  expect(held.status).toBe('queued');
  expect(await overHttp(held.id)).toMatchObject({ status: 'queued', waiting: HELD });

  await h.imports.start('calm', small.id);
  const calm = await waitForEnd(h, small.id, 120_000, 'calm');
  expect(calm.status).toBe('completed');
  expect(calm.counts.imported).toBe(2);
  // The calm workspace's import ended while the long ones still ran or waited their turn.
  const [first, second] = await Promise.all(long.map((v) => h!.imports.get(hog, v.id)));
  expect(first!.status).toBe('running');
  expect(second).toMatchObject({ status: 'queued', waiting: HELD });

  const ended = [];
  for (const v of long) ended.push(await waitForEnd(h, v.id, 240_000, hog));
  expect(ended.map((v) => v.status)).toEqual(['completed', 'completed']);
  expect(ended.map((v) => v.counts.total)).toEqual([LONG_ROWS, LONG_ROWS]);
  expect(ms(calm.finishedAt)).toBeLessThan(ms(ended[0]!.finishedAt));
  // One at a time: the second took its turn only once the first had ended.
  expect(ms(ended[1]!.startedAt)).toBeGreaterThanOrEqual(ms(ended[0]!.finishedAt));
}

test("one worker process with two slots: a workspace's two long dry runs leave one slot for another workspace", async () => {
  await hogThenCalm([{ INTAKE_WORKER_CONCURRENCY: '2' }]);
}, 400_000);

test('two worker processes with one slot each: the slots add up, and the same share holds across them', async () => {
  await hogThenCalm([{ INTAKE_WORKER_CONCURRENCY: '1' }, { INTAKE_WORKER_CONCURRENCY: '1' }]);
}, 400_000);
