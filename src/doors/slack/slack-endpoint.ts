import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { SlackBolt } from './slack-bolt';

export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * Mounts Bolt's receiver at /slack/events on the API's HTTP server. Call it before the app listens:
 * middleware added then runs before Nest's body parsers, so the receiver reads the raw bytes that
 * Slack's signature covers. No-op when Slack is off or runs in Socket Mode.
 */
export function mountSlackEndpoint(app: INestApplication, config: AppConfig): void {
  const { botToken, signingSecret, appToken } = config.slack;
  if (!config.roles.has('api') || !botToken || !signingSecret || appToken) return;
  const receiver = app.get(SlackBolt, { strict: false }).receiver;
  if (receiver) app.use(SLACK_EVENTS_PATH, receiver.handle);
}
