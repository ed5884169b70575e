import { Logger } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { redact } from '../../core/redact';
import type { AppConfig } from '../../config/app-config';
import { normalizeAddress } from './mail-address';
import { MAX_COMMAND_CHARS, MAX_RECIPIENTS } from './mail.constants';
import { spool } from './message-spool';
import { SmtpSessionLimits } from './smtp-session-limits';

/** An SMTP reply: the enhanced status code is part of the text (smtp-server's own are hidden). */
export class SmtpRefusal extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The answer to anything unexpected: the sender's server tries again later. */
export const temporaryFailure = (): SmtpRefusal =>
  new SmtpRefusal(451, '4.3.0 Temporary failure, please try again later');

/** What a session knows of the client at the other end. */
export interface SmtpClient {
  sessionId: string;
  /** The client's IP address. */
  ip: string;
  /** The name it gave in HELO/EHLO. */
  helo: string;
}

/** A message received in full, waiting in a local file while it is checked. */
export interface SpooledMessage {
  /** The envelope sender, normalized; empty for the null sender. */
  envelopeFrom: string;
  /** The first envelope recipient, as the client wrote it. */
  recipient: string;
  path: string;
  /** The message's header block. */
  head: string;
  /** The most bytes the file may hold: the size limit plus room for headers the relays added. */
  maxBytes: number;
}

/**
 * Who decides what the server takes. Each step resolves to accept or throws an SmtpRefusal that is
 * answered as it is; anything else thrown is answered 451. `message` resolves to the text after 250,
 * and the spooled file is deleted once it has answered.
 */
export interface SmtpAcceptor {
  mailFrom(address: string, client: SmtpClient): Promise<void>;
  rcptTo(address: string, client: SmtpClient): Promise<void>;
  message(message: SpooledMessage, client: SmtpClient): Promise<string>;
  /** The session is over: forget whatever was kept for it. */
  closed(sessionId: string): void;
}

export type SmtpListenerOptions = Pick<
  AppConfig['mail'],
  | 'smtpHost'
  | 'smtpPort'
  | 'maxMessageBytes'
  | 'tlsKeyPath'
  | 'tlsCertPath'
  | 'importDomain'
  | 'maxConnectionsPerClient'
  | 'idleMs'
  | 'sessionMs'
>;

/**
 * An inbound MX: the SMTP server's life, the bounds of its sessions, and each message streamed to a
 * local temporary file before the acceptor decides on it, so every refusal is said in the session
 * (RCPT, MAIL FROM, end of DATA) and bounced by the sender's own server.
 */
export class SmtpListener {
  private readonly log = new Logger('SmtpServer');
  private server: SMTPServer | null = null;
  private readonly limits: SmtpSessionLimits;

  constructor(
    private readonly options: SmtpListenerOptions,
    private readonly acceptor: SmtpAcceptor,
  ) {
    const { maxConnectionsPerClient, idleMs, sessionMs } = options;
    this.limits = new SmtpSessionLimits(
      { maxPerClient: maxConnectionsPerClient, idleMs, sessionMs },
      (sessionId, line) => this.drop(sessionId, line),
    );
  }

  async listen(): Promise<void> {
    const { smtpHost, smtpPort, maxMessageBytes, tlsKeyPath, tlsCertPath, importDomain } = this.options;
    const tls =
      tlsKeyPath && tlsCertPath ? { key: readFileSync(tlsKeyPath), cert: readFileSync(tlsCertPath) } : null;
    const server = new SMTPServer({
      name: importDomain,
      banner: 'Intake import mail',
      size: maxMessageBytes,
      rejectOversized: true,
      authOptional: true,
      // An inbound MX: no AUTH; STARTTLS only with a key and certificate.
      disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      ...(tls ?? {}),
      maxClients: 50,
      maxRecipients: MAX_RECIPIENTS,
      // A command line carries at most one address (320 characters) and a few parameters.
      maxCommandLength: MAX_COMMAND_CHARS,
      socketTimeout: 60_000,
      closeTimeout: 5_000,
      disableReverseLookup: true,
      logger: false,
      onConnect: (session, cb) => cb(this.admit(session)),
      onMailFrom: (address, session, cb) =>
        this.answer(cb, async () => {
          await this.acceptor.mailFrom(address.address, clientOf(session));
          this.limits.progressed(session.id);
        }),
      onRcptTo: (address, session, cb) =>
        this.answer(cb, () => this.acceptor.rcptTo(address.address, clientOf(session))),
      onData: (stream, session, cb) => {
        this.limits.receiving(session.id);
        stream.once('end', () => this.limits.deciding(session.id));
        this.onData(stream, session)
          .then(
            (msg) => cb(null, msg),
            (e: unknown) => cb(this.refusal(e)),
          )
          .finally(() => this.limits.decided(session.id));
      },
      onClose: (session) => {
        this.acceptor.closed(session.id);
        this.limits.release(session.id);
      },
    });
    server.on('error', (e) => this.log.error(`SMTP server error: ${e.message}`));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(smtpPort, smtpHost, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.log.log(`SMTP listening on ${smtpHost}:${this.port()}${tls ? ' (STARTTLS)' : ''}`);
  }

  /** The bound port (SMTP_PORT=0 picks a free one). */
  port(): number {
    const addr = this.server?.server.address() as AddressInfo | null;
    return addr?.port ?? 0;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A client past its connections is refused at once with 421 (smtp-server then closes the connection). */
  private admit(session: SMTPServerSession): SmtpRefusal | null {
    const refused = this.limits.admit(session.id, session.remoteAddress);
    if (!refused) return null;
    this.log.log(`refused a connection: its client already holds ${this.options.maxConnectionsPerClient}`);
    return new SmtpRefusal(421, refused);
  }

  /** Ends a connection that held on too long or idled: 421 and close, after any reply already written. */
  private drop(sessionId: string, line: string): void {
    setImmediate(() => {
      const connection = [...(this.server?.connections ?? [])].find((c) => c.id === sessionId);
      if (!connection) return;
      this.log.log(`closed a connection: ${line}`);
      connection.send(421, line, false);
    });
  }

  private answer(cb: (err?: Error | null) => void, step: () => Promise<void>): void {
    step().then(
      () => cb(),
      (e: unknown) => cb(this.refusal(e)),
    );
  }

  /** Refusals pass through; anything unexpected is a 451 so the sender's server tries again. */
  private refusal(e: unknown): SmtpRefusal {
    if (e instanceof SmtpRefusal) return e;
    this.log.error(redact(`SMTP session failed, answered 451: ${(e as Error).message}`));
    return temporaryFailure();
  }

  private async onData(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const recipient = session.envelope.rcptTo[0]?.address ?? '';
    const envelopeFrom = session.envelope.mailFrom ? normalizeAddress(session.envelope.mailFrom.address) : '';
    if (!recipient) throw temporaryFailure();
    const dir = await mkdtemp(join(tmpdir(), 'intake-smtp-'));
    try {
      const path = join(dir, 'message.eml');
      const maxBytes = this.options.maxMessageBytes + 1024 * 1024;
      const head = await spool(stream, path, maxBytes);
      if (stream.sizeExceeded) throw new SmtpRefusal(552, '5.3.4 Message too big');
      return await this.acceptor.message(
        { envelopeFrom, recipient, path, head, maxBytes },
        clientOf(session),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

function clientOf(session: SMTPServerSession): SmtpClient {
  return { sessionId: session.id, ip: session.remoteAddress, helo: session.hostNameAppearsAs };
}
