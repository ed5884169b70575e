import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { boundedReport } from '../../core/report/bounded-report';
import type Mail from 'nodemailer/lib/mailer';
import { MailTransport } from '../../protocols/mail/mail-transport';
import { withDisplayName } from '../../protocols/mail/outgoing-mail';
import { CLOCK, Clock } from '../../core/clock';
import { redact } from '../../core/redact';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ImportReport } from '../../engine/use-cases/report/use-case';
import { JobQueues } from '../../engine/queue/job-queues';
import { EmailOutboxEntry, EmailReplyCount } from './email.schema';
import { OutgoingMail } from '../../protocols/mail/outgoing-mail';

/** Replies per recipient per hour; beyond it answers are dropped (logged), never queued. */
const REPLIES_PER_HOUR = 30;

/**
 * Every reply goes through here: written to the outbox (Mongo) under a key, so enqueuing twice sends
 * once, then sent by a Bull job that is retried with backoff when the relay fails. Replies per
 * recipient are counted per hour in Mongo, so the limit the SMTP session enforces holds across processes.
 */
@Injectable()
export class OutboxService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('EmailOutbox');
  private readonly transport: MailTransport;
  /** Replies per recipient per hour (a property so a test can lower it). */
  limitPerHour = REPLIES_PER_HOUR;

  constructor(
    @InjectModel(EmailOutboxEntry.name) private readonly outbox: Model<EmailOutboxEntry>,
    @InjectModel(EmailReplyCount.name) private readonly counts: Model<EmailReplyCount>,
    private readonly jobs: JobQueues,
    private readonly reports: ImportReport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.transport = new MailTransport(config.mail);
  }

  onApplicationBootstrap(): void {
    this.transport.open();
    this.jobs.process('email-outbound', (job) => this.deliver(job.key));
  }

  onModuleDestroy(): void {
    this.transport.close();
  }

  /**
   * Queues a reply once per key. Every answer to a message that was accepted is sent: the limit on
   * answers per hour is enforced in the SMTP session (see `answersPausedUntil`), where a message over it
   * is refused with 451 and never accepted, so nothing is accepted and then left unanswered.
   */
  async send(key: string, mail: OutgoingMail): Promise<boolean> {
    const existing = await this.outbox.findById(key).lean<EmailOutboxEntry>();
    if (existing && existing.status !== 'queued') return existing.status === 'sent';
    if (!existing) {
      await this.count(mail.to);
      try {
        await this.outbox.collection.insertOne({
          _id: key,
          mail,
          status: 'queued',
          createdAt: this.clock.now(),
          sentAt: null,
        } as unknown as Record<string, unknown>);
      } catch (e) {
        if ((e as { code?: number }).code !== 11000) throw e; // queued by another process just now
      }
    }
    await this.jobs.add('email-outbound', { key }, key);
    return true;
  }

  /**
   * When `to` has had `limitPerHour` answers this hour: the start of the next hour, when a new message
   * from them is taken again. Null while they may still send.
   */
  async answersPausedUntil(to: string): Promise<Date | null> {
    const hour = this.hour();
    const doc = await this.counts.findById(countId(to, hour)).lean<EmailReplyCount>();
    return (doc?.count ?? 0) >= this.limitPerHour ? new Date(hour.getTime() + 3_600_000) : null;
  }

  private hour(): Date {
    return new Date(Math.floor(this.clock.now().getTime() / 3_600_000) * 3_600_000);
  }

  private async count(to: string): Promise<void> {
    const hour = this.hour();
    await this.counts.updateOne(
      { _id: countId(to, hour) },
      { $inc: { count: 1 }, $setOnInsert: { hour } },
      { upsert: true },
    );
  }

  private async deliver(key: string): Promise<void> {
    const entry = await this.outbox.findById(key).lean<EmailOutboxEntry>();
    if (!entry || entry.status !== 'queued') return;
    const mail = entry.mail as unknown as OutgoingMail;
    const name = `${this.clock.now().toISOString().replace(/[:.]/g, '-')}-${safeKey(key)}`;
    const sent = await this.transport.send(this.compose(key, mail), name);
    if (sent.via === 'file') {
      this.log.log(
        redact(`reply "${mail.subject}" to ${mail.to} written to ${sent.file} (OUTBOUND_SMTP_URL is unset)`),
      );
    } else if (sent.via === 'none') {
      this.log.log(redact(`reply "${mail.subject}" to ${mail.to} not sent: OUTBOUND_SMTP_URL is unset`));
    }
    await this.outbox.updateOne({ _id: key }, { $set: { status: 'sent', sentAt: this.clock.now() } });
  }

  private compose(key: string, mail: OutgoingMail): Mail.Options {
    const id = createHash('sha256').update(key).digest('hex').slice(0, 32);
    return {
      from: withDisplayName(this.config.mail.from),
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      replyTo: mail.replyTo,
      inReplyTo: mail.inReplyTo || undefined,
      references: mail.references?.length ? mail.references : undefined,
      // The same key always gets the same Message-ID, so a retried send is recognisable as one mail.
      messageId: `<intake.${id}@${this.config.mail.importDomain}>`,
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
      attachments: mail.attachments.map((a) =>
        'reportOf' in a
          ? {
              filename: a.filename,
              contentType: 'text/csv; charset=utf-8',
              content: Readable.from(
                boundedReport(
                  this.reports.lines({
                    workspaceId: mail.workspaceId,
                    importId: a.reportOf,
                    actor: { door: 'email', person: null },
                  }),
                  this.config.limits.report.attachmentBytes,
                ),
              ),
            }
          : { filename: a.filename, contentType: 'text/csv; charset=utf-8', content: a.content },
      ),
    };
  }
}

function countId(to: string, hour: Date): string {
  return `${to.toLowerCase()}|${hour.toISOString()}`;
}

function safeKey(key: string): string {
  return key.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80);
}
