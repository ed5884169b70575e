import { Inject, Injectable, Logger } from '@nestjs/common';
import { webApi } from '@slack/bolt';
import { pipeline, Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { IntakeError } from '../../core/intake-error';
import type { SlackMessage } from './block-kit';
import type { SlackFileMeta } from './file-kind';
import { isSlackFileUrl } from './slack-file-url';
import { slackErrorText, slackLogger } from './slack-logger';

/** Errors and rate limits are retried a few times quickly; a person is waiting in the thread. */
export const RETRY_CONFIG = { retries: 4, factor: 2, minTimeout: 300, maxTimeout: 10_000, randomize: true };

/** Slack redirects a file download once or twice at most; more is not Slack. */
const MAX_REDIRECTS = 3;

/** The host a link names, for a log line; never the path or query, which may carry tokens. */
function hostOf(link: string): string {
  try {
    return new URL(link).host || 'a link without a host';
  } catch {
    return 'an unreadable link';
  }
}

export interface Thread {
  channel: string;
  threadTs?: string;
}

/** Who the bot is, so its own uploads are never imported. */
export interface BotIdentity {
  userId: string;
  botId?: string;
  /** The Slack team the bot token belongs to: it imports into the default workspace. */
  teamId: string;
}

/** Every call Intake makes to Slack's Web API, through one client pointed at `SLACK_API_URL`. */
@Injectable()
export class SlackApi {
  readonly web: webApi.WebClient;
  private readonly log = new Logger('Slack');
  private identity: Promise<BotIdentity> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.web = new webApi.WebClient(config.slack.botToken, {
      slackApiUrl: config.slack.apiUrl,
      retryConfig: RETRY_CONFIG,
      logger: slackLogger('SlackWebApi', config.logLevel),
      timeout: 30_000,
    });
  }

  /** auth.test once; a failure is not cached, so the next event asks again. */
  bot(): Promise<BotIdentity> {
    this.identity ??= this.web.auth.test().then(
      (r) => ({ userId: r.user_id ?? '', botId: r.bot_id, teamId: r.team_id ?? '' }),
      (e: unknown) => {
        this.identity = null;
        throw e;
      },
    );
    return this.identity;
  }

  async fileInfo(fileId: string): Promise<SlackFileMeta> {
    const res = await this.web.files.info({ file: fileId });
    return res.file as SlackFileMeta;
  }

  /**
   * The file's bytes as a stream, fetched with the bot token as Slack requires. The token goes only
   * to Slack's file hosts (a redirect elsewhere is refused, not followed), and a download that waits
   * longer than the timeout, for an answer or for its next bytes, is abandoned.
   */
  async download(url: string): Promise<Readable> {
    const timeoutMs = this.config.slack.downloadTimeoutMs;
    const abort = new AbortController();
    let timer = setTimeout(() => abort.abort(), timeoutMs);
    const res = await this.fetchFromSlack(url, abort.signal).catch((e: unknown) => {
      clearTimeout(timer);
      if (abort.signal.aborted) throw new Error(`Slack did not answer the download within ${timeoutMs} ms`);
      throw e;
    });
    if (!res.ok || !res.body) {
      clearTimeout(timer);
      await res.body?.cancel();
      throw new Error(`download failed with HTTP ${res.status}`);
    }
    // Without files:read Slack answers with its HTML login page instead of the file.
    if (/text\/html/i.test(res.headers.get('content-type') ?? '')) {
      clearTimeout(timer);
      await res.body.cancel();
      throw new Error(
        'Slack answered with a web page instead of the file (is the files:read scope granted?)',
      );
    }
    const idle = new Transform({
      transform(chunk: Buffer, _enc, done) {
        clearTimeout(timer);
        timer = setTimeout(() => abort.abort(), timeoutMs);
        done(null, chunk);
      },
      flush(done) {
        clearTimeout(timer);
        done();
      },
    });
    idle.on('close', () => clearTimeout(timer));
    pipeline(Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>), idle, () => undefined);
    return idle;
  }

  /** Follows redirects by hand, so that each hop is checked before the token is sent to it. */
  private async fetchFromSlack(url: string, signal: AbortSignal): Promise<Response> {
    let link = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (!isSlackFileUrl(link, this.config.slack.apiUrl)) {
        this.log.warn(`refused to send the bot token to ${hostOf(link)}, which is not a Slack file host`);
        throw new IntakeError(
          'invalid_request',
          "This file's download link does not point to Slack's own file servers, so I did not fetch it. Please share the file again.",
        );
      }
      const res = await fetch(link, {
        headers: { Authorization: `Bearer ${this.config.slack.botToken}` },
        redirect: 'manual',
        signal,
      });
      const location = res.headers.get('location');
      if (res.status < 300 || res.status > 399 || !location) return res;
      await res.body?.cancel();
      link = new URL(location, link).toString();
    }
    throw new Error(`the download was redirected more than ${MAX_REDIRECTS} times`);
  }

  /** Posts in the thread; throws so callers that must know (notices, retried by Bull) can. */
  async post(thread: Thread, msg: SlackMessage): Promise<string> {
    const res = await this.web.chat.postMessage({
      channel: thread.channel,
      ...(thread.threadTs ? { thread_ts: thread.threadTs } : {}),
      text: msg.text,
      blocks: msg.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
    return res.ts ?? '';
  }

  /** Posts and never throws: the failure is logged; null when nothing was posted. */
  async tryPost(thread: Thread, msg: SlackMessage, what: string): Promise<string | null> {
    try {
      return await this.post(thread, msg);
    } catch (e) {
      this.log.warn(`could not post ${what} in ${thread.channel}: ${slackErrorText(e)}`);
      return null;
    }
  }

  /** A message only `user` sees, in the thread; never throws (the failure is logged). */
  async tryEphemeral(thread: Thread, user: string, text: string, what: string): Promise<boolean> {
    try {
      await this.web.chat.postEphemeral({
        channel: thread.channel,
        user,
        text,
        ...(thread.threadTs ? { thread_ts: thread.threadTs } : {}),
      });
      return true;
    } catch (e) {
      this.log.warn(`could not tell ${user} ${what} in ${thread.channel}: ${slackErrorText(e)}`);
      return false;
    }
  }

  /**
   * Whether Slack says the user is an admin or owner of their Slack workspace (users.info, users:read
   * scope). Any failure answers no: being an admin must be proven, not assumed.
   */
  async isWorkspaceAdmin(userId: string): Promise<boolean> {
    try {
      const res = await this.web.users.info({ user: userId });
      return res.user?.is_admin === true || res.user?.is_owner === true;
    } catch (e) {
      this.log.warn(`users.info ${userId} failed: ${slackErrorText(e)}`);
      return false;
    }
  }

  /** Edits a message; a failed edit is logged and never fails what it reports on. */
  async tryUpdate(channel: string, ts: string, msg: SlackMessage, what: string): Promise<boolean> {
    try {
      await this.web.chat.update({ channel, ts, text: msg.text, blocks: msg.blocks });
      return true;
    } catch (e) {
      this.log.warn(`could not update ${what} in ${channel}: ${slackErrorText(e)}`);
      return false;
    }
  }

  /** files.uploadV2: getUploadURLExternal, the bytes, completeUploadExternal into the thread. */
  async upload(thread: Thread, fileName: string, content: Buffer, comment: string): Promise<void> {
    const common = { file: content, filename: fileName, title: fileName, initial_comment: comment };
    await this.web.filesUploadV2(
      thread.threadTs
        ? { ...common, channel_id: thread.channel, thread_ts: thread.threadTs }
        : { ...common, channel_id: thread.channel },
    );
  }
}
