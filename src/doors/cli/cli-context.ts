import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { config as loadDotenv } from 'dotenv';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig, loadConfig } from '../../config/app-config';
import { AppModule } from '../../app/app.module';
import { makeLogger, prepare } from '../../app/start';

/** Where `npm run dev` records the servers it started, so the CLI finds them without any setup. */
export const SERVICES_FILE = join('.intake', 'services.json');

/** The environment the CLI runs with: .env, then the dev servers' file for what is still unset. */
export function cliEnv(): NodeJS.ProcessEnv {
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

export interface CliContext {
  app: INestApplicationContext;
  config: AppConfig;
  workspaceId: string;
  close(): Promise<void>;
}

/** Boots the shared modules without HTTP; with `worker`, this process also runs imports. */
export async function openContext(opts: { worker: boolean; workspace?: string }): Promise<CliContext> {
  const env = cliEnv();
  // The CLI never serves HTTP: it runs a worker for its own import, or no role at all.
  env.INTAKE_ROLES = opts.worker ? 'worker' : '';
  const config = loadConfig(env);
  // The CLI's stdout is a contract (JSON): only errors are logged, and Nest writes those to stderr.
  const logger = makeLogger('error');
  const app = await NestFactory.createApplicationContext(AppModule.forRoles({ config }), {
    logger,
    abortOnError: false,
  });
  await prepare(app, config);
  return {
    app,
    config,
    workspaceId: opts.workspace ?? env.INTAKE_WORKSPACE ?? config.defaultWorkspace.id,
    close: () => app.close(),
  };
}
