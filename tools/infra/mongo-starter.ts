import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOrBuildFerretDb } from './ferretdb-locator';
import { findOnPath } from './executable-locator';
import { findFreePort } from './free-port';
import { exitedError, startFailure, startManagedProcess, type ManagedProcess } from './managed-process';
import { pingMongo } from './server-ping';
import type { StartedService } from './started-service';
import { isPortOpen, pollUntil, waitForPort } from './wait-for-port';

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 60_000;

/** Server URI without a database; the provisioner names one. */
function serverUri(port: number): string {
  return `mongodb://${HOST}:${port}`;
}

async function waitForMongo(proc: ManagedProcess, port: number): Promise<void> {
  const abort = exitedError(proc);
  try {
    await waitForPort(HOST, port, START_TIMEOUT_MS, abort);
    await pollUntil(() => pingMongo(serverUri(port), 2000), {
      timeoutMs: START_TIMEOUT_MS,
      what: 'a MongoDB ping',
      abort,
    });
  } catch (err) {
    await proc.stop();
    throw startFailure(proc, err);
  }
}

async function startMongod(binary: string, dataDir: string): Promise<StartedService> {
  const dbPath = join(dataDir, 'mongod');
  await mkdir(dbPath, { recursive: true });
  const port = await findFreePort();
  const args = ['--port', String(port), '--bind_ip', HOST, '--dbpath', dbPath, '--nounixsocket', '--quiet'];
  const proc = startManagedProcess('mongod', binary, args);
  await waitForMongo(proc, port);
  return { name: 'mongod', url: serverUri(port), stop: () => proc.stop() };
}

/**
 * A PostgreSQL database for FerretDB when a local server answers: FerretDB's SQLite backend hangs when
 * two clients upsert the same keys at once, which concurrent imports do; its PostgreSQL backend does not.
 */
async function postgresFor(dataDir: string): Promise<string | undefined> {
  if (process.env.INTAKE_FERRETDB_HANDLER === 'sqlite') return undefined;
  const createdb = await findOnPath('createdb');
  if (!createdb || !(await isPortOpen(HOST, 5432, 500))) return undefined;
  const name = `intake_${createHash('sha1').update(dataDir).digest('hex').slice(0, 12)}`;
  const res = spawnSync(createdb, ['-h', HOST, '-U', 'postgres', name], {
    encoding: 'utf8',
    timeout: 15_000,
  });
  if (res.status !== 0 && !/already exists/.test(res.stderr ?? '')) return undefined;
  return `postgres://postgres@${HOST}:5432/${name}`;
}

/**
 * FerretDB's command line, on loopback, over PostgreSQL (`pg` URL) or else SQLite in `dir`. The one
 * place that knows its flags: telemetry must stay off (it would otherwise call home).
 */
export function ferretDbArgs(port: number, pg: string | undefined, dir: string, logLevel: string): string[] {
  const backend = pg
    ? ['--handler=pg', `--postgresql-url=${pg}`]
    : ['--handler=sqlite', `--sqlite-url=file:${dir}/`];
  return [
    '--telemetry=disable',
    '--debug-addr=-',
    `--listen-addr=${HOST}:${port}`,
    ...backend,
    `--state-dir=${dir}`,
    `--log-level=${logLevel}`,
  ];
}

/** FerretDB over PostgreSQL when one is at hand, else over SQLite (nothing but a folder). */
async function startFerretDb(binary: string, dataDir: string): Promise<StartedService> {
  const dir = join(dataDir, 'ferretdb');
  await mkdir(dir, { recursive: true });
  const port = await findFreePort();
  const pg = await postgresFor(dataDir);
  const proc = startManagedProcess('ferretdb', binary, ferretDbArgs(port, pg, dir, 'warn'));
  await waitForMongo(proc, port);
  const stop = async () => {
    await proc.stop();
    // A throwaway data dir (tests) gets a throwaway database; dev's .intake/ keeps its data.
    if (pg && dataDir.startsWith(tmpdir())) {
      spawnSync('dropdb', ['--if-exists', '-h', HOST, '-U', 'postgres', pg.split('/').pop() ?? ''], {
        timeout: 15_000,
      });
    }
  };
  return { name: 'ferretdb', url: serverUri(port), stop };
}

type MemoryServer = { getUri(): string; stop(): Promise<unknown> };
type MemoryServerModule = {
  MongoMemoryServer: { create(opts?: { instance?: { ip?: string } }): Promise<MemoryServer> };
};

function isMemoryServerModule(mod: unknown): mod is MemoryServerModule {
  const ctor = (mod as { MongoMemoryServer?: { create?: unknown } } | null)?.MongoMemoryServer;
  return typeof ctor?.create === 'function';
}

/** mongodb-memory-server is optional (not a dependency): it downloads a real mongod where internet allows. */
async function startMemoryServer(): Promise<StartedService | undefined> {
  const moduleName = 'mongodb-memory-server';
  let mod: unknown;
  try {
    mod = await import(moduleName);
  } catch {
    return undefined;
  }
  if (!isMemoryServerModule(mod)) return undefined;
  const server = await mod.MongoMemoryServer.create({ instance: { ip: HOST } });
  return {
    name: 'mongodb-memory-server',
    url: server.getUri(),
    stop: async () => void (await server.stop()),
  };
}

/**
 * Starts a MongoDB-wire server: a `mongod` on PATH, else FerretDB (built with Go when missing),
 * else mongodb-memory-server when installed.
 */
export async function startMongo(dataDir: string, log: (msg: string) => void): Promise<StartedService> {
  const mongod = await findOnPath('mongod');
  if (mongod) {
    log(`starting mongod (${mongod})`);
    return startMongod(mongod, dataDir);
  }
  const ferretdb = await findOrBuildFerretDb(log);
  if (ferretdb) {
    log(`starting FerretDB (${ferretdb})`);
    return startFerretDb(ferretdb, dataDir);
  }
  log('no mongod, FerretDB or Go found; trying mongodb-memory-server');
  const memory = await startMemoryServer();
  if (memory) return memory;
  throw new Error(
    'No MongoDB-wire server available. Set MONGODB_URI, put `mongod` or `ferretdb` on PATH, ' +
      'install Go (FerretDB is then built automatically), or `npm i -D mongodb-memory-server` on a machine with internet.',
  );
}
