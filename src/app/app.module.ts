import { DynamicModule, Module } from '@nestjs/common';
import { ApiKeyGuard } from '../api/api-key.guard';
import { HealthController } from '../api/health.controller';
import { ImportsController } from '../api/imports.controller';
import { RecordsController } from '../api/records.controller';
import { TemplatesController } from '../api/templates.controller';
import { AppConfig } from '../config/app-config';
import { EmailModule } from '../email/email.module';
import { ImportWorker } from '../imports/import.worker';
import { SlackModule } from '../slack/slack.module';
import { CoreModule, CoreOptions } from './core.module';

@Module({
  controllers: [HealthController, ImportsController, RecordsController, TemplatesController],
  providers: [ApiKeyGuard],
})
export class ApiModule {}

@Module({ providers: [ImportWorker], exports: [ImportWorker] })
export class WorkerModule {}

/** One codebase, several roles: the modules loaded follow INTAKE_ROLES. */
@Module({})
export class AppModule {
  static forRoles(options: CoreOptions): DynamicModule {
    const { roles } = options.config;
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(options),
        ...(roles.has('api') ? [ApiModule] : []),
        ...(roles.has('api') && slackEnabled(options.config) ? [SlackModule] : []),
        ...(roles.has('smtp') ? [EmailModule] : []),
        ...(roles.has('worker') ? [WorkerModule] : []),
      ],
    };
  }
}

/** Slack is simply off until its bot token and either a signing secret (HTTP) or an app token (Socket Mode) are set. */
export function slackEnabled(config: AppConfig): boolean {
  return Boolean(config.slack.botToken && (config.slack.signingSecret || config.slack.appToken));
}
