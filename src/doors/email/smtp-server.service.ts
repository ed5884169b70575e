import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { createReadStream, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer, SMTPServerAddress, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { CLOCK, Clock } from '../../core/clock';
import { redact } from '../../core/redact';
import { within } from '../../core/time-limit';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { unauthenticatedMailWarning } from '../../config/mail-trust';
import { FileStore } from '../../engine/storage/file-store';
import { automatedReason, parseHeaderBlock } from './automated-mail';
import { ConversationsRepository } from './conversations.repository';
import { authorOf } from './author-address';
import { domainOf, normalizeAddress, parseRecipient } from './email-address';
import { MAX_COMMAND_CHARS, MAX_RECIPIENTS } from './email.constants';
import { InboundProcessor } from './inbound.processor';
import { MailAuthCheck } from './mail-auth.check';
import { OutboxService } from './outbox.service';
import { spool } from './message-spool';
import { ReplySecret } from './reply-secret';
import { checkToken, readToken } from './reply-token';
import { SenderPolicy } from './sender-policy';
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

const NOT_ALLOWED =
  '5.7.1 Sender not allowed to send imports here: ask whoever runs Intake for your team to allow your address or domain (intake workspace allow-sender)';
const TEMP_FAILURE = () => new SmtpRefusal(451, '4.3.0 Temporary failure, please try again later');

/**
 * The inbound MX for the import addresses. Every decision that can refuse is made in the session
 * (RCPT, MAIL FROM, end of DATA), so refused mail is bounced by the sender's own server and never
 * answered by us. During DATA the message waits in a local temporary file; only once every check has
 * passed is it in GridFS with a queued job, before 250 is said.
 */
@Injectable()
export class SmtpServerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('SmtpServer');
  private server: SMTPServer | null = null;
  private readonly workspaceOf = new Map<string, string>();
  private readonly limits: SmtpSessionLimits;

  constructor(
    private readonly files: FileStore,
    private readonly senders: SenderPolicy,
    private readonly conversations: ConversationsRepository,
    private readonly inbound: InboundProcessor,
    private readonly secret: ReplySecret,
    private readonly mailAuth: MailAuthCheck,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    const { maxConnectionsPerClient, idleMs, sessionMs } = config.mail;
    this.limits = new SmtpSessionLimits(
      { maxPerClient: maxConnectionsPerClient, idleMs, sessionMs },
      (sessionId, line) => this.drop(sessionId, line),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    const { smtpHost, smtpPort, maxMessageBytes, tlsKeyPath, tlsCertPath, importDomain } = this.config.mail;
    await this.secret.get();
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
      onMailFrom: (address, session, cb) => this.answer(cb, () => this.onMailFrom(address, session)),
      onRcptTo: (address, session, cb) => this.answer(cb, () => this.onRcptTo(address, session)),
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
        this.workspaceOf.delete(session.id);
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
    const warning = unauthenticatedMailWarning(this.config.mail);
    if (warning) this.log.warn(warning);
  }

  /** The bound port (SMTP_PORT=0 picks a free one). */
  port(): number {
    const addr = this.server?.server.address() as AddressInfo | null;
    return addr?.port ?? 0;
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A client past its connections is refused at once with 421 (smtp-server then closes the connection). */
  private admit(session: SMTPServerSession): SmtpRefusal | null {
    const refused = this.limits.admit(session.id, session.remoteAddress);
    if (!refused) return null;
    this.log.log(
      `refused a connection: its client already holds ${this.config.mail.maxConnectionsPerClient}`,
    );
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
    return TEMP_FAILURE();
  }

  private async onMailFrom(address: SMTPServerAddress, session: SMTPServerSession): Promise<void> {
    const from = normalizeAddress(address.address);
    const ws = from ? await this.senders.workspaceFor(from) : null;
    if (!ws) {
      this.log.log(redact(`refused sender ${from || '<>'}: not allowed`));
      throw new SmtpRefusal(550, NOT_ALLOWED);
    }
    this.workspaceOf.set(session.id, ws);
    this.limits.progressed(session.id);
  }

  private async onRcptTo(address: SMTPServerAddress, session: SMTPServerSession): Promise<void> {
    const to = parseRecipient(address.address, this.config.mail.importDomain);
    const domain = this.config.mail.importDomain;
    if (!to) throw new SmtpRefusal(550, `5.1.1 No such address: use clients@, leads@ or companies@${domain}`);
    const ws = this.workspaceOf.get(session.id);
    if (to.kind === 'type') return;
    const parts = readToken(to.token);
    const noSuch = new SmtpRefusal(
      550,
      `5.1.1 No such reply address: reply to Intake's latest message in your thread, or send the file again to clients@, leads@ or companies@${domain}`,
    );
    if (!parts) throw noSuch;
    if (parts.expiresAt.getTime() <= this.clock.now().getTime()) {
      throw new SmtpRefusal(550, `5.7.1 This reply address has expired: send the file again to ${domain}`);
    }
    const conv = await this.conversations.find(parts.conversationId);
    if (!conv || conv.workspaceId !== ws) throw noSuch;
    if (conv.usedAt) {
      throw new SmtpRefusal(
        550,
        `5.7.1 This reply address was already used: its import has started or was cancelled, and its summary arrives in the thread. To import again, send the file to ${conv.type}@${domain}`,
      );
    }
  }

  private async onData(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const ws = this.workspaceOf.get(session.id);
    const rcpt = session.envelope.rcptTo[0]?.address ?? '';
    const envelopeFrom = session.envelope.mailFrom ? normalizeAddress(session.envelope.mailFrom.address) : '';
    if (!ws || !rcpt) throw TEMP_FAILURE();
    const dir = await mkdtemp(join(tmpdir(), 'intake-smtp-'));
    try {
      const path = join(dir, 'message.eml');
      const head = await spool(stream, path, this.config.mail.maxMessageBytes + 1024 * 1024);
      if (stream.sizeExceeded) throw new SmtpRefusal(552, '5.3.4 Message too big');
      return await this.accept(session, { ws, rcpt, envelopeFrom, path, head });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Every check runs on the spooled copy; only a message that passes them all is stored and queued.
   * The From address is the person Intake acts for, so it must be one mailbox, allowed, and, with
   * mail authentication on, authenticated for its domain.
   */
  private async accept(
    session: SMTPServerSession,
    m: { ws: string; rcpt: string; envelopeFrom: string; path: string; head: string },
  ): Promise<string> {
    const author = authorOf(m.head);
    if (!author.ok) {
      this.log.log(`refused message: ${author.reason}`);
      throw new SmtpRefusal(550, `5.7.1 Refused: ${author.reason}`);
    }
    const from = author.address;
    if ((await this.senders.workspaceFor(from)) !== m.ws) {
      this.log.log(redact(`refused message from ${from}: not allowed`));
      throw new SmtpRefusal(550, NOT_ALLOWED);
    }
    const to = parseRecipient(m.rcpt, this.config.mail.importDomain);
    if (to?.kind === 'reply') {
      const check = checkToken(await this.secret.get(), to.token, from, this.clock.now());
      if (check !== 'ok') {
        throw new SmtpRefusal(
          550,
          `5.7.1 Only the person who sent the file can answer this address. To import it yourself, send the file to clients@, leads@ or companies@${this.config.mail.importDomain}`,
        );
      }
    }
    const authenticated = await this.authenticate(session, m, from);
    const headers = parseHeaderBlock(m.head);
    const automated = automatedReason(m.envelopeFrom, from, headers);
    if (automated) {
      // Accepted so the sending robot does not retry, but never answered and never imported.
      this.log.log(`automated message dropped (${automated})`);
      return 'OK: accepted, not answered (automated message)';
    }
    await this.refuseOverAnswerLimit(from);
    const limit = this.config.mail.maxMessageBytes + 1024 * 1024;
    const { fileId } = await this.files.save(m.ws, createReadStream(m.path), 'message.eml', limit);
    try {
      await within(
        10_000,
        this.inbound.enqueue({
          rawFileId: fileId,
          workspaceId: m.ws,
          envelopeFrom: m.envelopeFrom,
          recipient: m.rcpt,
          sender: from,
          receivedAt: this.clock.now().toISOString(),
          authenticated,
        }),
      );
    } catch (e) {
      await this.files.delete(fileId);
      throw e;
    }
    return `OK: queued as ${fileId}`;
  }

  /**
   * A sender Intake has answered as often as it may this hour gets 451 with the time to try again: their
   * server retries on its own, and nothing is accepted that would then go unanswered.
   */
  private async refuseOverAnswerLimit(from: string): Promise<void> {
    const until = await this.outbox.answersPausedUntil(from);
    if (!until) return;
    this.log.log(redact(`deferred message from ${from}: answer limit reached until ${until.toISOString()}`));
    const at = until.toISOString().slice(11, 16);
    throw new SmtpRefusal(
      451,
      `4.7.1 Intake has answered you ${this.outbox.limitPerHour} times this hour, as many as it may; ` +
        `nothing of this message was kept. Send it again after ${at} UTC (your mail server retries on its own).`,
    );
  }

  /** True when the From domain was authenticated; false when authentication is off; else refused. */
  private async authenticate(
    session: SMTPServerSession,
    m: { envelopeFrom: string; path: string; head: string },
    from: string,
  ): Promise<boolean> {
    if (!this.mailAuth.enabled) return false;
    const verdict = await this.mailAuth.verdict(createReadStream(m.path), {
      ip: session.remoteAddress,
      helo: session.hostNameAppearsAs,
      envelopeFrom: m.envelopeFrom,
      author: from,
      head: m.head,
    });
    if (!verdict.accept) {
      this.log.log(redact(`refused message from ${from}: ${verdict.reason}`));
      throw new SmtpRefusal(verdict.code, `${verdict.status} ${verdict.reason}`);
    }
    this.log.debug(`authenticated ${domainOf(from)} by ${verdict.via} (${verdict.source})`);
    return true;
  }
}
