import { Logger } from '@nestjs/common';
import { App } from '@slack/bolt';
import type { AppConfig } from '../../config/app-config';
import type { Clock } from '../../core/clock';
import { RETRY_CONFIG } from './slack-api';
import { SlackHttpReceiver } from './slack-http.receiver';
import { slackErrorText, slackLogger } from './slack-logger';

/**
 * The Bolt app: HTTP mode on the API's port (its receiver is mounted at `/slack/events`), or Socket
 * Mode when SLACK_APP_TOKEN is set. Whoever holds it registers the listeners on `app`.
 */
export class SlackConnection {
  readonly app: App;
  /** The receiver to mount in HTTP mode; null in Socket Mode. */
  readonly receiver: SlackHttpReceiver | null;
  private readonly log = new Logger('Slack');

  constructor(
    private readonly config: Pick<AppConfig, 'slack' | 'logLevel'>,
    clock: Clock,
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
    this.app.error(async (e) => {
      this.log.error(`Slack listener error: ${slackErrorText(e.original ?? e)}`);
    });
  }

  /** In Socket Mode, connects in the background: a Slack outage must not hold up the API's start. */
  start(): void {
    if (!this.config.slack.appToken) return;
    this.app.start().then(
      () => this.log.log('Slack connected in Socket Mode'),
      (e: unknown) => this.log.error(`Slack Socket Mode failed to connect: ${slackErrorText(e)}`),
    );
  }

  async stop(): Promise<void> {
    if (this.config.slack.appToken) await this.app.stop().catch(() => undefined);
  }
}
