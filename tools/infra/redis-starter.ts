import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { findOnPath } from './executable-locator';
import { findFreePort } from './free-port';
import { exitedError, startFailure, startManagedProcess } from './managed-process';
import { pingRedis } from './server-ping';
import type { StartedService } from './started-service';
import { pollUntil } from './wait-for-port';

const HOST = '127.0.0.1';

/** A found Redis we did not start: nothing to stop. */
export type FoundRedis = { url: string };

/**
 * Starts a private `redis-server` on a free port (no persistence: tests and dev queues are throwaway).
 * Without redis-server, falls back to a Redis already answering on the default port.
 */
export async function startRedis(
  dataDir: string,
  log: (msg: string) => void,
): Promise<StartedService | FoundRedis> {
  const binary = await findOnPath('redis-server');
  if (!binary) {
    if (await pingRedis(HOST, 6379)) {
      log('no redis-server on PATH; using the Redis answering on 127.0.0.1:6379');
      return { url: `redis://${HOST}:6379` };
    }
    throw new Error(
      'No Redis available. Set REDIS_URL or install redis-server (Debian: apt-get install redis-server).',
    );
  }
  const dir = join(dataDir, 'redis');
  await mkdir(dir, { recursive: true });
  const port = await findFreePort();
  log(`starting redis-server (${binary})`);
  const args = [
    '--port',
    String(port),
    '--bind',
    HOST,
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
  ];
  const proc = startManagedProcess('redis-server', binary, args);
  try {
    await pollUntil(() => pingRedis(HOST, port), {
      timeoutMs: 30_000,
      what: `redis-server on ${HOST}:${port}`,
      abort: exitedError(proc),
    });
  } catch (err) {
    await proc.stop();
    throw startFailure(proc, err);
  }
  return { name: 'redis-server', url: `redis://${HOST}:${port}`, stop: () => proc.stop() };
}
