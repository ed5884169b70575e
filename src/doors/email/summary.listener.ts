import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { CLOCK, Clock } from '../../core/clock';
import { isExpired } from '../../core/lifecycle/retention';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ImportService } from '../../engine/imports/import.service';
import { ImportRowsRepository } from '../../engine/imports/import-rows.repository';
import { Ending, ImportEndings } from '../conversation/import-endings';
import { summaryOf } from '../conversation/import-summary';
import { ConversationsRepository } from './conversations.repository';
import { replyAddress } from './email-address';
import { cutReportNote, reportExtent } from '../../core/report/bounded-report';
import { summaryBody, SummaryNext } from './mail-render';
import { OutboxService } from './outbox.service';
import { replySubject, type OutgoingAttachment } from './outgoing-mail';
import { ReplySecret } from './reply-secret';
import { issueToken } from './reply-token';

/** When an emailed import ends, answer in its thread with the counts, their top reasons and the report. */
@Injectable()
export class SummaryListener implements OnApplicationBootstrap {
  constructor(
    private readonly endings: ImportEndings,
    private readonly conversations: ConversationsRepository,
    private readonly outbox: OutboxService,
    private readonly secret: ReplySecret,
    private readonly imports: ImportService,
    private readonly rows: ImportRowsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.endings.consume('email', (ending) => this.tell(ending));
  }

  /** Idempotent per ending: the outbox key and the follow-up conversation id derive from it. */
  private async tell({ notice: n, view: v, key: ending }: Ending): Promise<void> {
    const conv = await this.conversations.findByImport(n.workspaceId, n.importId);
    if (!conv) return;
    // Cancelled by the person's own "cancel" reply before it ran: that reply already said so. An
    // expiry was nobody's reply, so it is told.
    if (v.status === 'cancelled' && !v.startedAt && !isExpired(v.error)) return;
    const key = `summary:${n.importId}:${ending}`;
    const { withReport, offerRealRun, reportName, outcome } = summaryOf(v);
    const attachments: OutgoingAttachment[] = withReport ? [{ filename: reportName, reportOf: v.id }] : [];
    const finished = outcome === 'completed';
    const next: SummaryNext = {
      realRun: offerRealRun,
      alreadyExist:
        finished && v.counts.skipped
          ? await this.rows.countSkipped(n.workspaceId, v.id, 'already exists')
          : 0,
      undo: finished && v.counts.imported > 0,
    };
    let replyTo: string | undefined;
    if (next.realRun || next.alreadyExist > 0 || next.undo) {
      // The summary can be answered ("yes" after a dry run, "duplicates: update", "undo"): a new
      // single-use token for the same import.
      const id = createHash('sha256').update(key).digest('hex').slice(0, 16);
      const now = this.clock.now();
      const expiresAt = new Date(now.getTime() + this.config.mail.replyTtlHours * 3_600_000);
      if (!(await this.conversations.find(id))) {
        await this.conversations.create({
          ...conv,
          _id: id,
          importIds: [v.id],
          createdAt: now,
          expiresAt,
          usedAt: null,
        });
      }
      const follow = (await this.conversations.find(id))!;
      const token = issueToken(await this.secret.get(), id, follow.expiresAt, conv.sender);
      replyTo = replyAddress(token, this.config.mail.importDomain);
    }
    const reasons = withReport ? await this.imports.topReasons(n.workspaceId, v.id) : undefined;
    // The attachment is cut at the same line when the mail is sent: the report no longer changes.
    const extent = withReport
      ? await reportExtent(
          this.imports.report(n.workspaceId, v.id),
          this.config.limits.report.attachmentBytes,
        )
      : null;
    const cut = extent?.cut ? cutReportNote(extent, v.counts.skipped + v.counts.flagged, v.id) : undefined;
    await this.outbox.send(key, {
      workspaceId: n.workspaceId,
      to: conv.sender,
      subject: replySubject(conv.subject),
      ...summaryBody(v, next, reasons, cut),
      inReplyTo: conv.messageId,
      references: conv.references,
      replyTo,
      attachments,
    });
  }
}
