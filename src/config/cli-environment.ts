import { config as loadDotenv } from 'dotenv';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm run dev` records the servers it started, so the CLI finds them without any setup. */
export const SERVICES_FILE = join('.intake', 'services.json');

/**
 * The environment the CLI runs with (a copy): .env, then the dev servers' file for MONGODB_URI and
 * REDIS_URL when they are still unset. loadConfig turns it into settings.
 */
export function cliEnvironment(): NodeJS.ProcessEnv {
  loadDotenv({ quiet: true });
  const env = { ...process.env };
  const file = env.INTAKE_SERVICES_FILE ?? SERVICES_FILE;
  if ((!env.MONGODB_URI || !env.REDIS_URL) && existsSync(file)) {
    try {
      const s = JSON.parse(readFileSync(file, 'utf8')) as { mongoUri?: string; redisUrl?: string };
      env.MONGODB_URI ??= s.mongoUri;
      env.REDIS_URL ??= s.redisUrl;
    } catch {
      // a stale or half-written file: fall back to the defaults
    }
  }
  return env;
}
