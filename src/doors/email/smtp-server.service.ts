import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { CLOCK, Clock } from '../../core/clock';
import { redact } from '../../core/redact';
import { within } from '../../core/time-limit';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { unauthenticatedMailWarning } from '../../config/mail-trust';
import { FileStore } from '../../engine/storage/file-store';
import { automatedReason, parseHeaderBlock } from '../../protocols/mail/automated-mail';
import { authorOf } from '../../protocols/mail/author-address';
import { domainOf, normalizeAddress } from '../../protocols/mail/mail-address';
import { MailAuthCheck } from '../../protocols/mail/mail-auth.check';
import {
  SmtpAcceptor,
  SmtpClient,
  SmtpListener,
  SmtpRefusal,
  SpooledMessage,
  temporaryFailure,
} from '../../protocols/mail/smtp-listener';
import { ConversationsRepository } from './conversations.repository';
import { parseRecipient } from './email-address';
import { InboundProcessor } from './inbound.processor';
import { OutboxService } from './outbox.service';
import { ReplySecret } from './reply-secret';
import { checkToken, readToken } from '../../protocols/mail/reply-token';
import { SenderPolicy } from './sender-policy';

const NOT_ALLOWED =
  '5.7.1 Sender not allowed to send imports here: ask whoever runs Intake for your team to allow your address or domain (intake workspace allow-sender)';

/**
 * What the import addresses accept: allowed senders, the import and reply addresses, and messages
 * whose author is allowed and, with mail authentication on, authenticated. Refused mail is bounced by
 * the sender's own server and never answered by us. Only once every check has passed is a message in
 * GridFS with a queued job, before 250 is said.
 */
@Injectable()
export class SmtpServerService implements SmtpAcceptor, OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('SmtpServer');
  private readonly listener: SmtpListener;
  private readonly workspaceOf = new Map<string, string>();

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
    this.listener = new SmtpListener(config.mail, this);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.secret.get();
    await this.listener.listen();
    const warning = unauthenticatedMailWarning(this.config.mail);
    if (warning) this.log.warn(warning);
  }

  /** The bound port (SMTP_PORT=0 picks a free one). */
  port(): number {
    return this.listener.port();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener.close();
  }

  closed(sessionId: string): void {
    this.workspaceOf.delete(sessionId);
  }

  async mailFrom(address: string, client: SmtpClient): Promise<void> {
    const from = normalizeAddress(address);
    const ws = from ? await this.senders.workspaceFor(from) : null;
    if (!ws) {
      this.log.log(redact(`refused sender ${from || '<>'}: not allowed`));
      throw new SmtpRefusal(550, NOT_ALLOWED);
    }
    this.workspaceOf.set(client.sessionId, ws);
  }

  async rcptTo(address: string, client: SmtpClient): Promise<void> {
    const to = parseRecipient(address, this.config.mail.importDomain);
    const domain = this.config.mail.importDomain;
    if (!to) throw new SmtpRefusal(550, `5.1.1 No such address: use clients@, leads@ or companies@${domain}`);
    const ws = this.workspaceOf.get(client.sessionId);
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

  /**
   * Every check runs on the spooled copy; only a message that passes them all is stored and queued.
   * The From address is the person Intake acts for, so it must be one mailbox, allowed, and, with
   * mail authentication on, authenticated for its domain.
   */
  async message(m: SpooledMessage, client: SmtpClient): Promise<string> {
    const ws = this.workspaceOf.get(client.sessionId);
    if (!ws) throw temporaryFailure();
    const author = authorOf(m.head);
    if (!author.ok) {
      this.log.log(`refused message: ${author.reason}`);
      throw new SmtpRefusal(550, `5.7.1 Refused: ${author.reason}`);
    }
    const from = author.address;
    if ((await this.senders.workspaceFor(from)) !== ws) {
      this.log.log(redact(`refused message from ${from}: not allowed`));
      throw new SmtpRefusal(550, NOT_ALLOWED);
    }
    const to = parseRecipient(m.recipient, this.config.mail.importDomain);
    if (to?.kind === 'reply') {
      const check = checkToken(await this.secret.get(), to.token, from, this.clock.now());
      if (check !== 'ok') {
        throw new SmtpRefusal(
          550,
          `5.7.1 Only the person who sent the file can answer this address. To import it yourself, send the file to clients@, leads@ or companies@${this.config.mail.importDomain}`,
        );
      }
    }
    const authenticated = await this.authenticate(client, m, from);
    const headers = parseHeaderBlock(m.head);
    const automated = automatedReason(m.envelopeFrom, from, headers);
    if (automated) {
      // Accepted so the sending robot does not retry, but never answered and never imported.
      this.log.log(`automated message dropped (${automated})`);
      return 'OK: accepted, not answered (automated message)';
    }
    await this.refuseOverAnswerLimit(from);
    const { fileId } = await this.files.save(ws, createReadStream(m.path), 'message.eml', m.maxBytes);
    try {
      await within(
        10_000,
        this.inbound.enqueue({
          rawFileId: fileId,
          workspaceId: ws,
          envelopeFrom: m.envelopeFrom,
          recipient: m.recipient,
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
  private async authenticate(client: SmtpClient, m: SpooledMessage, from: string): Promise<boolean> {
    if (!this.mailAuth.enabled) return false;
    const verdict = await this.mailAuth.verdict(createReadStream(m.path), {
      ip: client.ip,
      helo: client.helo,
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
