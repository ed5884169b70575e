import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provisionServices } from '../../tools/infra/service-provisioner';
import { saveServicesHandle } from './services-handle';

/**
 * Finds or starts MongoDB-wire and Redis servers once for the whole integration run and exports
 * MONGODB_URI / REDIS_URL, which test files and the processes they spawn inherit.
 * Jest requires the default export.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const log = (msg: string): void => void process.stderr.write(`[test services] ${msg}\n`);
  const dataDir = await mkdtemp(join(tmpdir(), 'intake-test-services-'));
  const services = await provisionServices({ dataDir, log });
  process.env.MONGODB_URI = services.mongoUri;
  process.env.REDIS_URL = services.redisUrl;
  saveServicesHandle({ services, dataDir });
  if (services.started.length) log(`${services.started.join(' + ')} ready in ${Date.now() - started} ms`);
}
