import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CLOCK, Clock } from '../../core/clock';
import { SlackConnection } from '../../protocols/slack/slack-connection';
import { SlackHttpReceiver } from '../../protocols/slack/slack-http.receiver';
import { FileIntake } from './file-intake';
import { ImportActions } from './import-actions';
import { IntakeCommand } from './intake-command';
import { registerFileEvents } from './listeners/file-events.listener';
import { registerImportActions } from './listeners/import.actions';
import { registerIntakeCommand } from './listeners/intake.command';

/**
 * The door's Bolt app: the Slack connection (HTTP mode, mounted by mountSlackEndpoint, or Socket Mode)
 * with the door's listeners registered on it; their work is in services.
 */
@Injectable()
export class SlackBolt implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly connection: SlackConnection;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) clock: Clock,
    intake: FileIntake,
    actions: ImportActions,
    command: IntakeCommand,
  ) {
    this.connection = new SlackConnection(config, clock);
    const { app } = this.connection;
    registerFileEvents(app, intake);
    registerImportActions(app, actions, command);
    registerIntakeCommand(app, config.slack.command, command);
  }

  get receiver(): SlackHttpReceiver | null {
    return this.connection.receiver;
  }

  onApplicationBootstrap(): void {
    this.connection.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.connection.stop();
  }
}
