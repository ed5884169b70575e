import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { CLOCK, Clock } from '../../core/clock';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { isIntakeError } from '../../core/intake-error';
import type { RecordType } from '../../core/record-type';
import { sampleTemplate, templateFileName } from '../../core/template/sample-template';
import { ProposeImport } from '../../engine/use-cases/propose/use-case';
import { ImportQueries } from '../../engine/use-cases/queries/import-queries';
import { StartImport } from '../../engine/use-cases/start/use-case';
import type { ImportView } from '../../engine/imports/import-view';
import { readinessOf } from '../../engine/conversation/readiness';
import { ConversationsRepository } from './conversations.repository';
import { replyAddress } from './email-address';
import type { InboundMailPayload } from '../../engine/queue/job-catalogue';
import type { ReadMessage } from '../../protocols/mail/inbound-reader';
import { proposalBody, RejectedFile } from './mail-proposal';
import { howToBody } from './mail-refusals';
import { OutboxService } from './outbox.service';
import { replySubject, threadReferences, type OutgoingMail } from '../../protocols/mail/outgoing-mail';
import { ReplySecret } from './reply-secret';
import { issueToken } from '../../protocols/mail/reply-token';
import { SenderPolicy } from './sender-policy';

/** Longest an attachment waits for a place among its workspace's uploads in flight. */
const ATTACHMENT_WAIT_MS = 60_000;

/** A message to clients@/leads@/companies@: each CSV becomes an import; the answer proposes the mapping. */
@Injectable()
export class FirstMessageHandler {
  constructor(
    private readonly propose: ProposeImport,
    private readonly queries: ImportQueries,
    private readonly starts: StartImport,
    private readonly conversations: ConversationsRepository,
    private readonly outbox: OutboxService,
    private readonly secret: ReplySecret,
    private readonly senders: SenderPolicy,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async handle(job: InboundMailPayload, type: RecordType, msg: ReadMessage): Promise<void> {
    const ws = job.workspaceId;
    const domain = this.config.mail.importDomain;
    const base: OutgoingMail = {
      workspaceId: ws,
      to: job.sender,
      subject: replySubject(msg.subject),
      text: '',
      html: '',
      inReplyTo: msg.messageId,
      references: threadReferences(msg.references, msg.messageId),
      attachments: [{ filename: templateFileName(type), content: sampleTemplate(type) }],
    };
    const key = `reply:${job.rawFileId}`;
    const { views, rejected, conversationId } = await this.uploadAll(job, type, msg);
    const notTaken = { files: msg.notTaken, max: this.config.mail.maxCsvPerMessage };

    if (!views.length && !rejected.length) {
      const body = howToBody(type, `${type}@${domain}`, msg.tnef ? 'tnef' : 'no_csv');
      await this.outbox.send(key, { ...base, ...body });
      return;
    }
    if (!conversationId) {
      await this.outbox.send(key, { ...base, ...proposalBody({ views, rejected, notTaken }) });
      return;
    }
    // Starting without a confirming reply is only for a sender whose address was authenticated.
    const mayAutoStart = job.authenticated === true && (await this.senders.autoStart(ws));
    if (mayAutoStart && views.every((v) => readinessOf(v).certain)) {
      if (await this.conversations.consume(ws, conversationId, this.clock.now())) {
        await this.starts.executeThenTell(
          // Nobody named started it: the workspace starts a certain mapping by itself.
          { workspaceId: ws, importIds: views.map((v) => v.id), actor: { door: 'email', person: null } },
          async () => {
            await this.outbox.send(key, {
              ...base,
              ...proposalBody({ views, rejected, notTaken, started: true }),
            });
          },
        );
        return;
      }
    }
    const conv = (await this.conversations.find(conversationId))!;
    const token = issueToken(await this.secret.get(), conv._id, conv.expiresAt, conv.sender);
    await this.outbox.send(key, {
      ...base,
      ...proposalBody({ views, rejected, notTaken }),
      replyTo: replyAddress(token, domain),
    });
  }

  /** Uploads each CSV part once: a retried job finds the conversation it already made. */
  private async uploadAll(
    job: InboundMailPayload,
    type: RecordType,
    msg: ReadMessage,
  ): Promise<{ views: ImportView[]; rejected: RejectedFile[]; conversationId: string | null }> {
    const ws = job.workspaceId;
    const existing = await this.conversations.findBySource(ws, job.rawFileId);
    if (existing) {
      const views = await Promise.all(existing.importIds.map((id) => this.queries.get(ws, id)));
      return { views, rejected: [], conversationId: existing._id };
    }
    const conversationId = randomBytes(8).toString('hex');
    const views: ImportView[] = [];
    const rejected: RejectedFile[] = [];
    for (const part of msg.csvParts) {
      try {
        views.push(
          await this.propose.execute({
            workspaceId: ws,
            actor: { door: 'email', person: job.sender },
            source: createReadStream(part.path),
            fileName: part.fileName,
            type,
            // The attachments are on local disk already: each waits its turn behind the ones storing.
            waitForPlaceMs: ATTACHMENT_WAIT_MS,
            origin: {
              sender: job.sender,
              recipient: job.recipient,
              messageId: msg.messageId,
              references: msg.references,
              subject: msg.subject,
              conversationId,
            },
          }),
        );
      } catch (e) {
        if (!isIntakeError(e)) throw e;
        rejected.push({ fileName: part.fileName, message: e.message });
      }
    }
    if (!views.length) return { views, rejected, conversationId: null };
    const now = this.clock.now();
    await this.conversations.create({
      _id: conversationId,
      workspaceId: ws,
      type,
      sender: job.sender,
      importIds: views.map((v) => v.id),
      subject: msg.subject,
      messageId: msg.messageId,
      references: threadReferences(msg.references, msg.messageId),
      sourceFileId: job.rawFileId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.mail.replyTtlHours * 3_600_000),
      usedAt: null,
    });
    return { views, rejected, conversationId };
  }
}
