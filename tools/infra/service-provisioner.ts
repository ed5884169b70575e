import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupOnExit } from './managed-process';
import { startMongo } from './mongo-starter';
import { withDatabaseName } from '../../src/config/mongo-uri';
import { startRedis } from './redis-starter';
import type { StartedService } from './started-service';

export { waitForPort } from './wait-for-port';

export type ProvisionOptions = {
  /** Where started servers keep their files; a temp dir (removed by stop()) when omitted. */
  dataDir?: string;
  log?: (msg: string) => void;
  /** Where MONGODB_URI / REDIS_URL are read; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Database named in the returned mongoUri when we start the server; default `intake`. */
  dbName?: string;
};

export type ProvisionedServices = {
  mongoUri: string;
  redisUrl: string;
  /** Names of the servers this call started (empty when both came from the environment). */
  started: string[];
  /** Stops what this call started, and only that. */
  stop(): Promise<void>;
};

/**
 * Finds or starts MongoDB and Redis for dev and tests (never for production, which must be given
 * MONGODB_URI and REDIS_URL). Order: MONGODB_URI; mongod on PATH; FerretDB (built with Go when
 * missing); mongodb-memory-server. Then REDIS_URL; redis-server on PATH on a free port.
 */
export async function provisionServices(opts: ProvisionOptions = {}): Promise<ProvisionedServices> {
  const log = opts.log ?? ((): void => undefined);
  const env = opts.env ?? process.env;
  const givenMongo = env.MONGODB_URI?.trim() || undefined;
  const givenRedis = env.REDIS_URL?.trim() || undefined;
  const running: StartedService[] = [];
  let tempDir: string | undefined;
  let cancelTempCleanup = (): void => undefined;

  const stop = async (): Promise<void> => {
    // Reverse order: the last started may depend on the first.
    const toStop = running.splice(0).reverse();
    await Promise.allSettled(toStop.map((s) => s.stop()));
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
    cancelTempCleanup();
    tempDir = undefined;
  };
  const dataDir = async (): Promise<string> => {
    if (opts.dataDir) return opts.dataDir;
    if (!tempDir) {
      const dir = await mkdtemp(join(tmpdir(), 'intake-services-'));
      cancelTempCleanup = cleanupOnExit(() => rmSync(dir, { recursive: true, force: true }));
      tempDir = dir;
    }
    return tempDir;
  };

  try {
    let mongoUri = givenMongo;
    if (!mongoUri) {
      const mongo = await startMongo(await dataDir(), log);
      running.push(mongo);
      mongoUri = withDatabaseName(mongo.url, opts.dbName ?? 'intake');
      log(`${mongo.name} ready at ${mongoUri}`);
    }
    let redisUrl = givenRedis;
    if (!redisUrl) {
      const redis = await startRedis(await dataDir(), log);
      if ('stop' in redis) running.push(redis);
      redisUrl = redis.url;
      log(`Redis ready at ${redisUrl}`);
    }
    return { mongoUri, redisUrl, started: running.map((s) => s.name), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
