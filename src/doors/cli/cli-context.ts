import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, loadConfig } from '../../config/app-config';
import { cliEnvironment } from '../../config/cli-environment';
import { EngineOnlyModule } from '../../app/worker.module';
import { makeLogger, prepare } from '../../app/start';

export interface CliContext {
  app: INestApplicationContext;
  config: AppConfig;
  workspaceId: string;
  close(): Promise<void>;
}

/** Boots the shared modules without HTTP; with `worker`, this process also runs imports. */
export async function openContext(opts: { worker: boolean; workspace?: string }): Promise<CliContext> {
  const env = cliEnvironment();
  // The CLI never serves HTTP: it runs a worker for its own import, or no role at all.
  env.INTAKE_ROLES = opts.worker ? 'worker' : '';
  const config = loadConfig(env);
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
    close: () => app.close(),
  };
}
