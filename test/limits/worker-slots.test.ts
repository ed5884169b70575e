import { startApp, RunningApp } from '../../src/app/start';
import { waitingReason } from '../../src/core/fairness/run-lane';
import { ImportTurns, TurnTicket } from '../../src/engine/queue/import-turns';
import { JobQueues } from '../../src/engine/queue/job-queues';
import { isolatedEnv } from '../support/intake-harness';

/**
 * The dispatch against the real Redis, without workers: the worker slots offered are the test's, so it
 * decides the live capacity, and a turn handed out shows as a waiting run-import job nobody takes.
 */

const apps: RunningApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

/** Processes without the worker role (no slots of their own) on one queue prefix. */
async function dispatchers(n: number, extra: NodeJS.ProcessEnv = {}): Promise<RunningApp[]> {
  const env = isolatedEnv('worker_slots', { INTAKE_ROLES: '', ...extra });
  for (let i = 0; i < n; i++) apps.push(await startApp(env));
  return apps.slice();
}

const ticket = (workspaceId: string, importId: string, lane: string | null = null): TurnTicket => ({
  workspaceId,
  importId,
  lane,
});

/** Ids of the tickets whose run-import job was queued: the turns they were handed. */
async function handedOut(app: RunningApp, tickets: readonly TurnTicket[]): Promise<string[]> {
  const jobs = app.context.get(JobQueues);
  const out = [];
  for (const t of tickets) if (await jobs.isPending('run-import', t.importId)) out.push(t.importId);
  return out;
}

async function reason(app: RunningApp, t: TurnTicket): Promise<string | null> {
  const hold = await app.context.get(ImportTurns).hold(t);
  return hold && waitingReason({ ...hold, type: 'clients' });
}

test('with two slots, a workspace takes one and the other stays free for another workspace', async () => {
  const [app] = await dispatchers(1);
  const turns = app!.context.get(ImportTurns);
  await turns.offer('worker-1', 2, true);
  const [a1, a2, b1] = [ticket('a', 'a1'), ticket('a', 'a2'), ticket('b', 'b1')];
  await turns.join(a1);
  await turns.join(a2);
  expect(await handedOut(app!, [a1, a2])).toEqual(['a1']);
  expect(await reason(app!, a2)).toBe(
    'waiting: this workspace already runs 1 import, its share of the 2 worker slots',
  );
  await turns.join(b1);
  expect(await handedOut(app!, [a1, a2, b1])).toEqual(['a1', 'b1']);
  // The other workspace's import ending frees no share for the workspace: the spare slot stays spare.
  await turns.leave(b1);
  expect(await handedOut(app!, [a2])).toEqual([]);
  await turns.leave(a1);
  expect(await handedOut(app!, [a2])).toEqual(['a2']);
});

test('the slots of several worker processes add up: the share grows up to the workspace limit', async () => {
  const [app] = await dispatchers(1, { INTAKE_RUNNING_PER_WORKSPACE: '2' });
  const turns = app!.context.get(ImportTurns);
  await turns.offer('worker-1', 1, true);
  await turns.offer('worker-2', 1, true);
  await turns.offer('worker-3', 1, true);
  const a = [1, 2, 3].map((i) => ticket('a', `a${i}`));
  for (const t of a) await turns.join(t);
  // Three slots: two for the workspace (its limit), one kept free.
  expect(await handedOut(app!, a)).toEqual(['a1', 'a2']);
  expect(await reason(app!, a[2]!)).toBe('waiting: 2 imports of this workspace are running');
  // A process that stops takes its slot away: no new turn until the workspace is back under its share.
  await turns.withdraw('worker-3');
  await turns.leave(a[0]!);
  expect(await handedOut(app!, [a[2]!])).toEqual([]);
  expect(await reason(app!, a[2]!)).toBe(
    'waiting: this workspace already runs 1 import, its share of the 2 worker slots',
  );
});

test("every slot busy with other workspaces' imports: the next workspace waits, and says so", async () => {
  const [app] = await dispatchers(1);
  const turns = app!.context.get(ImportTurns);
  await turns.offer('worker-1', 2, true);
  const [a1, a2, b1, c1] = [ticket('a', 'a1'), ticket('a', 'a2'), ticket('b', 'b1'), ticket('c', 'c1')];
  for (const t of [a1, a2, b1, c1]) await turns.join(t);
  expect(await handedOut(app!, [a1, a2, b1, c1])).toEqual(['a1', 'b1']);
  expect(await reason(app!, c1)).toBe('waiting for a free worker slot: all 2 are busy');
  // The freed slot goes to the workspace served least recently, not back to the one that just ended.
  await turns.leave(a1);
  expect(await handedOut(app!, [a2, c1])).toEqual(['c1']);
});

test('with no live worker nothing is handed out; the first worker to offer its slots starts the line', async () => {
  const [app] = await dispatchers(1);
  const turns = app!.context.get(ImportTurns);
  const a1 = ticket('a', 'a1');
  await turns.join(a1);
  expect(await handedOut(app!, [a1])).toEqual([]);
  expect(await reason(app!, a1)).toBe('waiting: no worker is running');
  await turns.offer('worker-1', 2, true);
  expect(await handedOut(app!, [a1])).toEqual(['a1']);
});

test("a single slot goes to one import at a time; another workspace's import waits for it", async () => {
  const [app] = await dispatchers(1);
  const turns = app!.context.get(ImportTurns);
  await turns.offer('worker-1', 1, true);
  const [a1, a2, b1] = [ticket('a', 'a1'), ticket('a', 'a2'), ticket('b', 'b1')];
  for (const t of [a1, a2, b1]) await turns.join(t);
  expect(await handedOut(app!, [a1, a2, b1])).toEqual(['a1']);
  expect(await reason(app!, a2)).toBe(
    'waiting: this workspace already runs 1 import, on the only worker slot',
  );
  expect(await reason(app!, b1)).toBe('waiting for a free worker slot: the only one is busy');
  await turns.leave(a1);
  expect(await handedOut(app!, [a2, b1])).toEqual(['b1']);
});

test('slots of a worker that stops renewing lapse with their lease', async () => {
  const [app] = await dispatchers(1, { INTAKE_SLOT_LEASE_MS: '1000' });
  const turns = app!.context.get(ImportTurns);
  const a1 = ticket('a', 'a1');
  await turns.join(a1);
  await turns.offer('worker-gone', 4); // offered without a dispatch, and never renewed
  expect((await turns.hold(a1))?.slots).toBe(4);
  const deadline = Date.now() + 10_000;
  while ((await turns.hold(a1))?.slots !== 0) {
    if (Date.now() > deadline) throw new Error('the lapsed slots still count');
    await new Promise((r) => setTimeout(r, 50));
  }
  await turns.dispatch();
  expect(await handedOut(app!, [a1])).toEqual([]);
  expect(await reason(app!, a1)).toBe('waiting: no worker is running');
});

test('dispatches racing in several processes never hand out more turns than there are slots', async () => {
  const procs = await dispatchers(3);
  await procs[0]!.context.get(ImportTurns).offer('worker-1', 3, true);
  await procs[1]!.context.get(ImportTurns).offer('worker-2', 2, true);
  const tickets = ['a', 'b', 'c'].flatMap((ws) => [1, 2, 3, 4].map((i) => ticket(ws, `${ws}${i}`)));
  // Every process lines up tickets of every workspace at once.
  await Promise.all(tickets.map((t, i) => procs[i % procs.length]!.context.get(ImportTurns).join(t)));
  const out = await handedOut(procs[0]!, tickets);
  expect(out).toHaveLength(5);
  const perWorkspace = ['a', 'b', 'c'].map((ws) => out.filter((id) => id.startsWith(ws)).length);
  // Five slots, a limit of two: no workspace holds more than two, and every workspace got one.
  expect(Math.max(...perWorkspace)).toBe(2);
  expect(Math.min(...perWorkspace)).toBeGreaterThanOrEqual(1);
});
