import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(__dirname, '..', 'fixtures', 'slack');

/** A fixture from test/fixtures/slack with its {{placeholders}} filled (JSON-escaped). */
export function fixture<T = Record<string, unknown>>(name: string, vars: Record<string, string> = {}): T {
  const text = readFileSync(join(FIXTURES, name), 'utf8').replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const v = vars[key];
    if (v === undefined) throw new Error(`fixture ${name} needs {{${key}}}`);
    return JSON.stringify(v).slice(1, -1);
  });
  return JSON.parse(text) as T;
}

/** Slack's request signature: v0= HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret. */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignOptions {
  /** Seconds since the epoch; now by default. */
  timestamp?: number;
  /** Sign with this secret instead (a wrong one makes a bad signature). */
  secret?: string;
  headers?: Record<string, string>;
}

/** Sends what Slack sends to the app: events, interactions and commands, signed. */
export class SlackSender {
  constructor(
    private readonly endpoint: string,
    private readonly secret: string,
  ) {}

  post(body: string, contentType: string, opts: SignOptions = {}): Promise<Response> {
    const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
    return fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': contentType,
        'X-Slack-Request-Timestamp': String(ts),
        'X-Slack-Signature': sign(opts.secret ?? this.secret, ts, body),
        ...opts.headers,
      },
      body,
    });
  }

  event(envelope: unknown, opts?: SignOptions): Promise<Response> {
    return this.post(JSON.stringify(envelope), 'application/json', opts);
  }

  interaction(payload: unknown, opts?: SignOptions): Promise<Response> {
    return this.post(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
      opts,
    );
  }

  command(fields: Record<string, string>, opts?: SignOptions): Promise<Response> {
    return this.post(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', opts);
  }
}
