import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { App } from '@slack/bolt';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CLOCK, Clock } from '../../core/clock';
import { FileIntake } from './file-intake';
import { ImportActions } from './import-actions';
import { IntakeCommand } from './intake-command';
import { registerFileEvents } from './listeners/file-events.listener';
import { registerImportActions } from './listeners/import.actions';
import { registerIntakeCommand } from './listeners/intake.command';
import { RETRY_CONFIG } from '../../protocols/slack/slack-api';
import { SlackHttpReceiver } from '../../protocols/slack/slack-http.receiver';
import { slackErrorText, slackLogger } from '../../protocols/slack/slack-logger';

/**
 * The Bolt app: HTTP mode on the API's port (`/slack/events`, mounted by mountSlackEndpoint), or
 * Socket Mode when SLACK_APP_TOKEN is set. Listeners are registered here; their work is in services.
 */
@Injectable()
export class SlackBolt implements OnApplicationBootstrap, OnModuleDestroy {
  readonly app: App;
  readonly receiver: SlackHttpReceiver | null;
  private readonly log = new Logger('Slack');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) clock: Clock,
    intake: FileIntake,
    actions: ImportActions,
    command: IntakeCommand,
  ) {
    const { botToken, signingSecret, appToken, apiUrl } = config.slack;
    const common = {
      token: botToken,
      logger: slackLogger('Bolt', config.logLevel),
      clientOptions: { slackApiUrl: apiUrl, retryConfig: RETRY_CONFIG },
      // auth.test is called lazily by SlackApi, so a Slack outage at boot does not stop Intake.
      tokenVerificationEnabled: false,
      ignoreSelf: false,
    };
    if (appToken) {
      this.receiver = null;
      this.app = new App({ ...common, appToken, socketMode: true });
    } else {
      this.receiver = new SlackHttpReceiver(signingSecret ?? '', clock);
      this.app = new App({ ...common, receiver: this.receiver });
    }
    registerFileEvents(this.app, intake);
    registerImportActions(this.app, actions, command);
    registerIntakeCommand(this.app, config.slack.command, command);
    this.app.error(async (e) => {
      this.log.error(`Slack listener error: ${slackErrorText(e.original ?? e)}`);
    });
  }

  /** Connects in the background: a Slack outage must not hold up the API's start. */
  onApplicationBootstrap(): void {
    if (!this.config.slack.appToken) return;
    this.app.start().then(
      () => this.log.log('Slack connected in Socket Mode'),
      (e: unknown) => this.log.error(`Slack Socket Mode failed to connect: ${slackErrorText(e)}`),
    );
  }

  async onModuleDestroy(): Promise<void> {
    if (this.config.slack.appToken) await this.app.stop().catch(() => undefined);
  }
}
