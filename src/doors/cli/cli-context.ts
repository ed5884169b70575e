import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, loadConfig } from '../../config/app-config';
import { cliEnvironment, unpointedMessage } from '../../config/cli-environment';
import { mongoLocation } from '../../config/mongo-uri';
import { IntakeError } from '../../core/intake-error';
import { EngineOnlyModule } from '../../app/worker.module';
import { makeLogger, prepare } from '../../app/start';

export interface CliContext {
  app: INestApplicationContext;
  config: AppConfig;
  workspaceId: string;
  /** Where this command reads and writes, fit to show: `mongodb://host:port/db`, no credentials. */
  database: string;
  close(): Promise<void>;
}

/** Where a summary says it wrote: the workspace and the database, without credentials. */
export function whereLine(ctx: Pick<CliContext, 'workspaceId' | 'database'>): string {
  return `workspace ${ctx.workspaceId}, database ${ctx.database}`;
}

/** The same for JSON: fields added beside a summary's own. */
export function whereFields(ctx: Pick<CliContext, 'workspaceId' | 'database'>): {
  workspace: string;
  database: string;
} {
  return { workspace: ctx.workspaceId, database: ctx.database };
}

/** Boots the shared modules without HTTP; with `worker`, this process also runs imports. */
export async function openContext(opts: { worker: boolean; workspace?: string }): Promise<CliContext> {
  const where = cliEnvironment();
  if (where.missing.length) throw new IntakeError('not_configured', unpointedMessage(where));
  // The CLI never serves HTTP: it runs a worker for its own import, or no role at all.
  where.env.INTAKE_ROLES = opts.worker ? 'worker' : '';
  const config = loadConfig(where.env);
  // The CLI's stdout is a contract (JSON): only errors are logged, and Nest writes those to stderr.
  const logger = makeLogger('error');
  // No door's module: the CLI serves nothing, and runs its import under the same heap as a worker.
  const app = await NestFactory.createApplicationContext(EngineOnlyModule.forRoles({ config }), {
    logger,
    abortOnError: false,
  });
  await prepare(app, config);
  return {
    app,
    config,
    workspaceId: opts.workspace ?? config.cliWorkspace ?? config.defaultWorkspace.id,
    database: mongoLocation(config.mongoUri, config.mongoDatabase),
    close: () => app.close(),
  };
}
