import { ConsoleLogger, DynamicModule, INestApplicationContext, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { AppConfig, loadConfig } from '../config/app-config';
import { Clock, IdGenerator } from '../core/clock';
import { JobQueues } from '../engine/queue/job-queues';
import { WorkspacesService } from '../engine/workspaces/workspaces.service';
import type { EngineOptions } from '../engine/engine.module';
import { within } from '../core/time-limit';
import { EngineOnlyModule } from './worker.module';

export interface RunningApp {
  config: AppConfig;
  context: INestApplicationContext;
  url?: string;
  close(): Promise<void>;
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export function makeLogger(level: string): ConsoleLogger {
  const upto = { silent: -1, fatal: 0, error: 1, warn: 2, info: 3, debug: 4, trace: 5 }[level] ?? 3;
  return new ConsoleLogger({ logLevels: LEVELS.slice(0, upto + 1) });
}

/** Redacts credentials in a service URL before it is shown. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]+)@/, '//***@');
}

/** Checks both services, builds the indexes the duplicate guarantee needs, seeds the default workspace. */
export async function prepare(context: INestApplicationContext, config: AppConfig): Promise<void> {
  await within(
    5000,
    context.get(JobQueues).ready(),
    `Redis is unreachable at ${redactUrl(config.redisUrl)} (set REDIS_URL)`,
  );
  const connection = context.get<Connection>(getConnectionToken());
  for (const model of Object.values(connection.models)) await model.init();
  await context.get(WorkspacesService).seedDefault();
}

/**
 * The module graph of the roles: the doors' modules (and Slack, mail, Express, OpenAPI with them) are
 * loaded only by a process that runs a door, so a worker-only process starts small.
 */
async function moduleFor(options: EngineOptions): Promise<DynamicModule> {
  const { roles } = options.config;
  if (!roles.has('api') && !roles.has('smtp')) return EngineOnlyModule.forRoles(options);
  const { AppModule } = await import('./app.module');
  return AppModule.forRoles(options);
}

/** Starts the roles this process runs (INTAKE_ROLES); production never provisions services. */
export async function startApp(
  env: NodeJS.ProcessEnv,
  overrides: { clock?: Clock; ids?: IdGenerator } = {},
): Promise<RunningApp> {
  const config = loadConfig(env);
  const logger = makeLogger(config.logLevel);
  const module = await moduleFor({ config, ...overrides });
  let context: INestApplicationContext;
  let url: string | undefined;
  try {
    if (config.roles.has('api')) {
      const app = await NestFactory.create(module, { logger, bodyParser: true, abortOnError: false });
      const { configureHttp } = await import('./http-setup');
      configureHttp(app, config);
      await prepare(app, config);
      await app.listen(config.http.port, config.http.host);
      url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      context = app;
    } else {
      context = await NestFactory.createApplicationContext(module, { logger, abortOnError: false });
      await prepare(context, config);
    }
  } catch (e) {
    const msg = (e as Error).message;
    if (/ECONNREFUSED|Server selection|getaddrinfo/i.test(msg) && !msg.includes('Redis')) {
      throw new Error(`MongoDB is unreachable at ${redactUrl(config.mongoUri)} (set MONGODB_URI): ${msg}`);
    }
    throw e;
  }
  context.enableShutdownHooks();
  logger.log(`Intake running roles [${[...config.roles].join(', ')}]${url ? ` on ${url}` : ''}`, 'Intake');
  return { config, context, url, close: () => context.close() };
}
