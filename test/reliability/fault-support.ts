import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOrBuildFerretDb } from '../../tools/infra/ferretdb-locator';
import { findFreePort } from '../../tools/infra/free-port';
import { ferretDbArgs } from '../../tools/infra/mongo-starter';
import { pingMongo, pingRedis } from '../../tools/infra/server-ping';
import { isTerminal } from '../../src/core/lifecycle/import-lifecycle';
import type { ImportView } from '../../src/engine/imports/import-view';
import { clientRows, GeneratedRow } from '../../tools/bench/client-csv-generator';
import type { Harness } from '../support/intake-harness';

/** Fault tests run real worker processes (`npm run build` first) against servers they may restart. */
const MAIN = join(__dirname, '../../dist/src/main.js');
const HOST = '127.0.0.1';

/** The whole version (`npm run test:faults`) or the lighter one CI runs. */
export const FULL = process.env.INTAKE_FAULT_FULL === '1';

export const FAST_RECOVERY: NodeJS.ProcessEnv = {
  INTAKE_JOB_LOCK_MS: '2000',
  INTAKE_STALLED_INTERVAL_MS: '1000',
  INTAKE_STALE_IMPORT_MS: '15000',
};

export interface Worker {
  child: ChildProcess;
  /** What it logged, e.g. "import <id> running from row N". */
  output(): string;
  alive(): boolean;
}

export function startWorker(env: NodeJS.ProcessEnv, extra: NodeJS.ProcessEnv = {}): Worker {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, ...env, ...FAST_RECOVERY, INTAKE_ROLES: 'worker', LOG_LEVEL: 'info', ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (c: Buffer) => void (out = (out + c.toString('utf8')).slice(-64_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => out, alive: () => child.exitCode === null && child.signalCode === null };
}

export function killAll(workers: readonly Worker[]): void {
  for (const w of workers) if (w.alive()) w.child.kill('SIGKILL');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the import, tolerating the database being away for a while (it may be restarting). */
export async function poll(h: Harness, id: string): Promise<ImportView | undefined> {
  try {
    return await h.imports.get(h.workspaceId, id);
  } catch {
    return undefined;
  }
}

export async function waitUntil(
  h: Harness,
  id: string,
  done: (v: ImportView) => boolean,
  timeoutMs: number,
): Promise<ImportView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await poll(h, id);
    if (v && done(v)) return v;
    if (Date.now() > until)
      throw new Error(`import ${id}: condition not met in ${timeoutMs} ms (${v?.status})`);
    await sleep(50);
  }
}

export const waitForEnd = (h: Harness, id: string, timeoutMs = 240_000) =>
  waitUntil(h, id, (v) => isTerminal(v.status), timeoutMs);

/** What an uninterrupted import of the generated file yields: the first row of each new key. */
export function expectedOutcome(rows: number, seed: number) {
  const firstRow = new Map<string, number>();
  let skipped = 0;
  const all: GeneratedRow[] = [];
  for (const r of clientRows(rows, seed)) {
    if (r.outcome === 'new') firstRow.set(r.key, r.row);
    else skipped++;
    all.push({ ...r, text: '' });
  }
  return { firstRow, skipped, rows: all };
}

export function csvOf(rows: number, seed: number): Buffer {
  const parts = ['First Name,Last Name,Email,Phone,Company,City,Notes,Tags\n'];
  for (const r of clientRows(rows, seed)) parts.push(r.text);
  return Buffer.from(parts.join(''));
}

/** A server a test owns on a fixed port, so it can be killed and started again at the same address. */
export interface RestartableServer {
  url: string;
  kill(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

function spawnAndWait(cmd: string, args: string[], ready: () => Promise<boolean>) {
  const child = spawn(cmd, args, { stdio: 'ignore' });
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  return (async () => {
    for (let i = 0; i < 300; i++) {
      if (await ready()) return { child, gone };
      if (child.exitCode !== null) break;
      await sleep(100);
    }
    child.kill('SIGKILL');
    throw new Error(`${cmd} did not start`);
  })();
}

async function restartable(
  url: string,
  launch: () => Promise<{ child: ChildProcess; gone: Promise<void> }>,
  cleanup: () => Promise<void>,
): Promise<RestartableServer> {
  let current = await launch();
  const kill = async () => {
    current.child.kill('SIGKILL');
    await current.gone;
  };
  return {
    url,
    kill,
    start: async () => void (current = await launch()),
    close: async () => {
      await kill();
      await cleanup();
    },
  };
}

/** A redis-server without persistence (the worst case: a restart loses the queue). */
export async function startOwnRedis(): Promise<RestartableServer> {
  const port = await findFreePort();
  const dir = await mkdtemp(join(tmpdir(), 'intake-fault-redis-'));
  const args = ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', dir];
  return restartable(
    `redis://${HOST}:${port}`,
    () => spawnAndWait('redis-server', args, () => pingRedis(HOST, port)),
    () => rm(dir, { recursive: true, force: true }),
  );
}

/** FerretDB over a PostgreSQL database of its own (dropped by close()), restarted on the same port. */
export async function startOwnFerretDb(): Promise<RestartableServer> {
  const binary = await findOrBuildFerretDb(() => undefined);
  if (!binary) throw new Error('no FerretDB binary');
  const port = await findFreePort();
  const dir = await mkdtemp(join(tmpdir(), 'intake-fault-ferretdb-'));
  const db = `intake_fault_${randomBytes(5).toString('hex')}`;
  const pg = spawnSync('createdb', ['-h', HOST, '-U', 'postgres', db], { timeout: 15_000 }).status === 0;
  const args = ferretDbArgs(port, pg ? `postgres://postgres@${HOST}:5432/${db}` : undefined, dir, 'error');
  const url = `mongodb://${HOST}:${port}`;
  return restartable(
    url,
    () => spawnAndWait(binary, args, () => pingMongo(url, 1000)),
    async () => {
      if (pg) spawnSync('dropdb', ['--if-exists', '-h', HOST, '-U', 'postgres', db], { timeout: 15_000 });
      await rm(dir, { recursive: true, force: true });
    },
  );
}
