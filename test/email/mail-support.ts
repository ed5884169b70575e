import { simpleParser, ParsedMail } from 'mailparser';
import { readFileSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { SmtpServerService } from '../../src/doors/email/smtp-server.service';
import { Harness, startHarness } from '../support/intake-harness';

/** A local stand-in for the outbound relay: captures every reply Intake sends. */
export interface Sink {
  url: string;
  mails: ParsedMail[];
  /** The next this-many messages are refused with 451, as a relay having trouble would. */
  failNext: number;
  close(): Promise<void>;
}

export async function startSink(): Promise<Sink> {
  const mails: ParsedMail[] = [];
  const state = { failNext: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, cb) {
      if (state.failNext > 0) {
        state.failNext--;
        stream.resume();
        stream.on('end', () => cb(Object.assign(new Error('4.3.0 Try again later'), { responseCode: 451 })));
        return;
      }
      simpleParser(stream).then(
        (m) => {
          mails.push(m);
          cb();
        },
        (e: Error) => cb(e),
      );
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    get failNext() {
      return state.failNext;
    },
    set failNext(n: number) {
      state.failNext = n;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export function toAddress(m: ParsedMail): string {
  const to = Array.isArray(m.to) ? m.to[0] : m.to;
  return to?.value[0]?.address?.toLowerCase() ?? '';
}

/** Waits until `count` replies to `to` arrived, and returns them in order. */
export async function repliesTo(
  sink: Sink,
  to: string,
  count = 1,
  timeoutMs = 20_000,
): Promise<ParsedMail[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const got = sink.mails.filter((m) => toAddress(m) === to.toLowerCase());
    if (got.length >= count) return got;
    if (Date.now() > until)
      throw new Error(`${got.length} of ${count} replies to ${to} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The email door as most tests use it: an all-in-one app allowing `@example.com`, answering into a sink. */
export interface MailDoor {
  h: Harness;
  sink: Sink;
  close(): Promise<void>;
}

export async function startMailDoor(
  name: string,
  domain: string,
  extra: NodeJS.ProcessEnv = {},
): Promise<MailDoor> {
  const sink = await startSink();
  const h = await startHarness(name, {
    INTAKE_ROLES: 'api,smtp,worker',
    SMTP_PORT: '0',
    IMPORT_DOMAIN: domain,
    OUTBOUND_SMTP_URL: sink.url,
    INTAKE_ALLOWED_SENDERS: '@example.com',
    ...extra,
  });
  return {
    h,
    sink,
    close: async () => {
      await h.close();
      await sink.close();
    },
  };
}

export function smtpPort(h: Harness): number {
  return h.app.context.get(SmtpServerService).port();
}

export function fixture(name: string, from?: string): string {
  const raw = readFileSync(join(__dirname, '../fixtures/email', name), 'latin1');
  return from ? raw.replace(/ana@example\.com/g, from) : raw;
}

export interface SendResult {
  ok: boolean;
  code?: number;
  response?: string;
}

/** Real SMTP with nodemailer: envelope + raw message, from 127.0.0.1 unless `localAddress` says otherwise. */
export async function send(
  h: Harness,
  envelope: { from: string; to: string | string[] },
  raw: string | Buffer,
  opts: { requireTLS?: boolean; localAddress?: string } = {},
): Promise<SendResult> {
  return sendTo(smtpPort(h), envelope, raw, opts);
}

/** The same, to an SMTP server on this port (an Intake running in another process). */
export async function sendTo(
  port: number,
  envelope: { from: string; to: string | string[] },
  raw: string | Buffer,
  opts: { requireTLS?: boolean; localAddress?: string } = {},
): Promise<SendResult> {
  const t = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    // Another loopback address (127.0.0.2) stands for another sending server.
    ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
    ...(opts.requireTLS ? { requireTLS: true, tls: { rejectUnauthorized: false } } : { ignoreTLS: true }),
  });
  try {
    await t.sendMail({ envelope, raw });
    return { ok: true };
  } catch (e) {
    const err = e as { responseCode?: number; response?: string };
    return { ok: false, code: err.responseCode, response: err.response };
  } finally {
    t.close();
  }
}

/**
 * A first message as mail clients send it: a line of text and one attachment, whose bytes go base64
 * encoded (a workbook, a binary file) or as they are (a small CSV).
 */
export function mailWithAttachment(opts: {
  from: string;
  to: string;
  fileName: string;
  content: Buffer | string;
  contentType?: string;
  subject?: string;
  messageId?: string;
  base64?: boolean;
}): string {
  const content = Buffer.from(opts.content);
  const body = opts.base64
    ? content.toString('base64').replace(/.{76}/g, '$&\r\n')
    : content.toString('utf8');
  const type = opts.contentType ?? 'text/csv';
  return [
    `From: ${opts.from}`,
    `To: ${opts.to}`,
    `Subject: ${opts.subject ?? 'Our client list'}`,
    `Message-ID: <${opts.messageId ?? `${Math.random().toString(36).slice(2)}@example.com`}>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Here they are.',
    '--b1',
    `Content-Type: ${type}; name="${opts.fileName}"`,
    `Content-Disposition: attachment; filename="${opts.fileName}"`,
    ...(opts.base64 ? ['Content-Transfer-Encoding: base64'] : []),
    '',
    body,
    '--b1--',
    '',
  ].join('\r\n');
}

/** A reply message in a thread, as a mail client would write it. */
export function replyMail(opts: {
  from: string;
  to: string;
  body: string;
  inReplyTo?: string;
  subject?: string;
  id?: string;
}): string {
  const id = opts.id ?? `<reply-${Math.random().toString(36).slice(2)}@example.com>`;
  return [
    `From: ${opts.from}`,
    `To: ${opts.to}`,
    `Subject: ${opts.subject ?? 'Re: Clients from the trade fair'}`,
    `Message-ID: ${id}`,
    ...(opts.inReplyTo ? [`In-Reply-To: ${opts.inReplyTo}`, `References: ${opts.inReplyTo}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    opts.body,
    '',
    'On Mon, Nov 23, 2026 at 6:14 PM Intake <intake@import.test> wrote:',
    '> I read fair-clients.csv.',
    '> yes',
    '',
  ].join('\r\n');
}

/** A bare SMTP conversation, line by line, for what nodemailer hides (EHLO keywords, step-wise replies). */
export class RawSmtp {
  private buf = '';
  private waiters: (() => void)[] = [];
  private ended = false;
  private readonly gone: Promise<void>;
  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    const wake = () => this.waiters.splice(0).forEach((w) => w());
    socket.on('data', (d: string) => {
      this.buf += d;
      wake();
    });
    socket.on('error', () => undefined);
    this.gone = new Promise<void>((r) =>
      socket.once('close', () => {
        this.ended = true;
        wake();
        r();
      }),
    );
  }
  /** Connects from 127.0.0.1, or from `localAddress` (another loopback address stands for another client). */
  static async open(port: number, localAddress?: string): Promise<RawSmtp> {
    const c = await RawSmtp.connect(port, localAddress);
    await c.reply();
    return c;
  }
  /** Connects without reading the greeting (it may be a refusal). */
  static async connect(port: number, localAddress?: string): Promise<RawSmtp> {
    const socket = connect({ port, host: '127.0.0.1', ...(localAddress ? { localAddress } : {}) });
    await new Promise<void>((r, j) => socket.once('connect', () => r()).once('error', j));
    return new RawSmtp(socket);
  }
  /** The next complete reply (multi-line aware); fails once the server has closed without one. */
  async reply(): Promise<string> {
    for (;;) {
      const m = /^(?:\d{3}-.*\r\n)*\d{3} .*\r\n/.exec(this.buf);
      if (m) {
        this.buf = this.buf.slice(m[0].length);
        return m[0];
      }
      if (this.ended) throw new Error(`connection closed; unanswered: ${JSON.stringify(this.buf)}`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
  async cmd(line: string): Promise<string> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }
  /** Writes without waiting for a reply (message lines during DATA). */
  write(text: string): void {
    this.socket.write(text);
  }
  /** Resolves once the server (or this side) has closed the connection. */
  closed(): Promise<void> {
    return this.gone;
  }
  isOpen(): boolean {
    return !this.ended;
  }
  close(): void {
    this.socket.destroy();
  }
}
