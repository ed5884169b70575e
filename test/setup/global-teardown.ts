import { rm } from 'node:fs/promises';
import { takeServicesHandle } from './services-handle';

/** Stops what global-setup started (nothing when MONGODB_URI / REDIS_URL were given). Jest requires the default export. */
export default async function globalTeardown(): Promise<void> {
  const handle = takeServicesHandle();
  if (!handle) return;
  await handle.services.stop();
  await rm(handle.dataDir, { recursive: true, force: true });
}
