import { config as loadDotenv } from 'dotenv';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Where `npm run dev` records the servers it started, so the CLI finds them without any setup. */
export const SERVICES_FILE = join('.intake', 'services.json');

/** The two services the CLI cannot guess. */
export type CliService = 'MONGODB_URI' | 'REDIS_URL';

export interface CliEnvironment {
  /** The environment (a copy) loadConfig turns into settings. */
  env: NodeJS.ProcessEnv;
  /** The services file that filled MONGODB_URI or REDIS_URL, or the one found but unreadable; null when none. */
  servicesFile: string | null;
  /** Services still unknown: without them the CLI must not fall back to a default address. */
  missing: CliService[];
}

/** `.intake/services.json` in `from` or the nearest folder above it that holds one. */
export function findServicesFile(from: string): string | null {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const file = join(dir, SERVICES_FILE);
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * The environment the CLI runs with: .env, then the dev servers' file (INTAKE_SERVICES_FILE, else
 * `.intake/services.json` found upward from `cwd`) for MONGODB_URI and REDIS_URL when they are unset.
 * What is still unset is reported, never defaulted: a default address would be another setup's database.
 */
export function cliEnvironment(cwd = process.cwd()): CliEnvironment {
  loadDotenv({ quiet: true, path: join(cwd, '.env') });
  const env = { ...process.env };
  let servicesFile: string | null = null;
  if (!env.MONGODB_URI || !env.REDIS_URL) {
    servicesFile = env.INTAKE_SERVICES_FILE ? resolve(cwd, env.INTAKE_SERVICES_FILE) : findServicesFile(cwd);
    if (servicesFile && existsSync(servicesFile)) {
      try {
        const s = JSON.parse(readFileSync(servicesFile, 'utf8')) as {
          mongoUri?: unknown;
          redisUrl?: unknown;
        };
        if (!env.MONGODB_URI && typeof s.mongoUri === 'string') env.MONGODB_URI = s.mongoUri;
        if (!env.REDIS_URL && typeof s.redisUrl === 'string') env.REDIS_URL = s.redisUrl;
      } catch {
        // a half-written file gives nothing: what it should have named is reported missing
      }
    }
  }
  const missing = (['MONGODB_URI', 'REDIS_URL'] as const).filter((name) => !env[name]);
  return { env, servicesFile, missing };
}

/** What to tell a person whose CLI knows no database or Redis: where it looked, and how to point it. */
export function unpointedMessage(where: CliEnvironment, cwd = process.cwd()): string {
  const names = where.missing.join(' and ');
  const looked = !where.servicesFile
    ? `no ${SERVICES_FILE} was found in ${resolve(cwd)} or any folder above it`
    : existsSync(where.servicesFile)
      ? `${where.servicesFile} does not name ${where.missing.length > 1 ? 'them' : 'it'}`
      : `INTAKE_SERVICES_FILE names ${where.servicesFile}, which does not exist`;
  return (
    `Intake does not know which database to use: ${names} ${where.missing.length > 1 ? 'are' : 'is'} not set ` +
    `and ${looked}. Run it inside the project's folder while \`npm run dev\` runs, or set MONGODB_URI and ` +
    'REDIS_URL (in the environment or in a .env file here).'
  );
}
