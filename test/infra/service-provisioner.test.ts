import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provisionServices } from '../../tools/infra/service-provisioner';
import { pingMongo, pingRedis } from '../../tools/infra/server-ping';
import { isPortOpen } from '../../tools/infra/wait-for-port';

function hostPort(url: string): { host: string; port: number } {
  // mongodb:// and redis:// with one host both parse as URLs.
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

async function withoutServiceEnv<T>(fn: () => Promise<T>): Promise<T> {
  const saved = { MONGODB_URI: process.env.MONGODB_URI, REDIS_URL: process.env.REDIS_URL };
  delete process.env.MONGODB_URI;
  delete process.env.REDIS_URL;
  try {
    return await fn();
  } finally {
    for (const [key, value] of Object.entries(saved)) if (value !== undefined) process.env[key] = value;
  }
}

describe('provisionServices', () => {
  it('returns MONGODB_URI and REDIS_URL untouched and starts nothing when they are set', async () => {
    const env = {
      MONGODB_URI: 'mongodb://db.invalid:1/somewhere?x=1',
      REDIS_URL: 'redis://queue.invalid:2/3',
    };
    const services = await provisionServices({ env });
    expect(services).toMatchObject({ mongoUri: env.MONGODB_URI, redisUrl: env.REDIS_URL, started: [] });
    await services.stop();
  });

  it('starts Redis and a MongoDB-wire server on free loopback ports when unset, and stop() shuts them down', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'intake-provisioner-test-'));
    try {
      const services = await withoutServiceEnv(() => provisionServices({ dataDir }));
      const mongo = hostPort(services.mongoUri);
      const redis = hostPort(services.redisUrl);

      expect(services.started).toContain('redis-server');
      expect(services.started).toHaveLength(2);
      expect(mongo.host).toBe('127.0.0.1');
      expect(redis.host).toBe('127.0.0.1');
      expect(new URL(services.mongoUri).pathname).toBe('/intake');
      expect(await pingRedis(redis.host, redis.port)).toBe(true);
      expect(await pingMongo(services.mongoUri)).toBe(true);

      await services.stop();

      expect(await isPortOpen(redis.host, redis.port)).toBe(false);
      expect(await isPortOpen(mongo.host, mongo.port)).toBe(false);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
