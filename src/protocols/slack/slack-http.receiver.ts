import { Logger } from '@nestjs/common';
import { verifySlackRequest } from '@slack/bolt';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { redact } from '../../core/redact';
import type { Clock } from '../../core/clock';

/**
 * The largest request body read. Slack's largest requests are interactions, which carry the whole
 * message clicked and the state of its selects: Intake's biggest (a page of column selects whose
 * headers and samples are as long, and as costly to encode, as the page allows) is about 230 KB
 * form-encoded, a quarter of this. Events and slash commands are far smaller.
 */
export const MAX_SLACK_BODY_BYTES = 1024 * 1024;
/** Slack gives up after 3 seconds; a listener that has not acknowledged by then is acknowledged for it. */
const ACK_DEADLINE_MS = 2500;

class BodyTooLarge extends Error {}

/** The body, refused by its declared length up front and counted as it streams (chunked bodies). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        req.off('data', onData);
        req.pause();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

function send(res: ServerResponse, status: number, body: string | object = ''): void {
  if (res.headersSent) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json');
  res.end(text);
}

/** Events as JSON; interactions as form-encoded `payload=`; slash commands as plain form fields. */
export function parseSlackBody(raw: string, contentType: string): Record<string, unknown> {
  if (/application\/json/i.test(contentType)) return JSON.parse(raw) as Record<string, unknown>;
  const form = new URLSearchParams(raw);
  const payload = form.get('payload');
  if (payload !== null) return JSON.parse(payload) as Record<string, unknown>;
  return Object.fromEntries(form);
}

/**
 * Bolt's receiver for `/slack/events` on the API's own HTTP server. It is mounted before Nest's body
 * parsers so that it reads the raw bytes the signature covers; the signature and the five-minute
 * window are checked against the injected clock, and nothing else happens on a bad request.
 */
export class SlackHttpReceiver implements Receiver {
  private app?: App;
  private readonly log = new Logger('SlackReceiver');

  constructor(
    private readonly signingSecret: string,
    private readonly clock: Clock,
  ) {}

  init(app: App): void {
    this.app = app;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  /** An express-compatible handler; never throws, never leaves the request hanging. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.serve(req, res).catch((e: unknown) => {
      this.log.error(`Slack request failed: ${redact((e as Error).message)}`);
      send(res, 500);
    });
  };

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, { error: 'POST only' });
    let raw: string;
    try {
      raw = (await readBody(req, MAX_SLACK_BODY_BYTES)).toString('utf8');
    } catch (e) {
      if (!(e instanceof BodyTooLarge)) throw e;
      this.log.warn('refused a Slack request whose body is larger than Slack ever sends');
      // The rest of the body is not read: answer, then drop the connection.
      res.setHeader('Connection', 'close');
      res.on('finish', () => req.destroy());
      return send(res, 413, { error: 'body too large' });
    }
    try {
      verifySlackRequest({
        signingSecret: this.signingSecret,
        body: raw,
        headers: {
          'x-slack-signature': header(req, 'x-slack-signature'),
          'x-slack-request-timestamp': Number(header(req, 'x-slack-request-timestamp')),
        },
        nowMilliseconds: this.clock.now().getTime(),
      });
    } catch {
      this.log.warn('refused a Slack request with a bad signature or an old timestamp');
      return send(res, 401, { error: 'invalid signature' });
    }
    let body: Record<string, unknown>;
    try {
      body = parseSlackBody(raw, header(req, 'content-type'));
    } catch {
      return send(res, 400, { error: 'unreadable body' });
    }
    if (body.ssl_check) return send(res, 200);
    if (body.type === 'url_verification') return send(res, 200, { challenge: body.challenge });
    await this.dispatch(body, req, res);
  }

  private async dispatch(body: Record<string, unknown>, req: IncomingMessage, res: ServerResponse) {
    let acked = false;
    const ack = (response?: unknown): Promise<void> => {
      if (acked) return Promise.resolve();
      acked = true;
      if (response === undefined || response === null || response === '') send(res, 200);
      else send(res, 200, typeof response === 'string' ? response : (response as object));
      return Promise.resolve();
    };
    const retryNum = Number(header(req, 'x-slack-retry-num'));
    const event: ReceiverEvent = {
      body,
      ack,
      ...(Number.isFinite(retryNum) && retryNum > 0
        ? { retryNum, retryReason: header(req, 'x-slack-retry-reason') }
        : {}),
    };
    const deadline = setTimeout(() => {
      if (!acked) this.log.warn('a Slack request was not acknowledged in time; acknowledging it');
      void ack();
    }, ACK_DEADLINE_MS);
    try {
      await this.app?.processEvent(event);
    } catch (e) {
      this.log.error(`Slack listener failed: ${redact((e as Error).message)}`);
      if (!acked) {
        acked = true;
        send(res, 500);
      }
    } finally {
      clearTimeout(deadline);
      void ack();
    }
  }
}
