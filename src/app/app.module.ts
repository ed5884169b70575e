import { DynamicModule, Module } from '@nestjs/common';
import { ApiKeyGuard } from '../doors/http/api-key.guard';
import { FieldsController } from '../doors/http/fields.controller';
import { HealthController } from '../doors/http/health.controller';
import { ImportsController } from '../doors/http/imports.controller';
import { MappingsController } from '../doors/http/mappings.controller';
import { RecordsController } from '../doors/http/records.controller';
import { TemplatesController } from '../doors/http/templates.controller';
import { UpdateExistingController } from '../doors/http/update-existing.controller';
import { AppConfig } from '../config/app-config';
import { ConversationModule } from '../engine/conversation/conversation.module';
import { EmailModule } from '../doors/email/email.module';
import { SlackModule } from '../doors/slack/slack.module';
import { EngineModule, EngineOptions } from '../engine/engine.module';
import { WorkerModule } from './worker.module';

@Module({
  controllers: [
    FieldsController,
    HealthController,
    ImportsController,
    MappingsController,
    RecordsController,
    TemplatesController,
    UpdateExistingController,
  ],
  imports: [ConversationModule],
  providers: [ApiKeyGuard],
})
export class ApiModule {}

/** One codebase, several roles: the modules loaded follow INTAKE_ROLES. */
@Module({})
export class AppModule {
  static forRoles(options: EngineOptions): DynamicModule {
    const { roles } = options.config;
    return {
      module: AppModule,
      imports: [
        EngineModule.forRoot(options),
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
