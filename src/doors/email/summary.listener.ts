import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { isExpired } from '../../core/lifecycle/retention';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ImportReport } from '../../engine/use-cases/report/use-case';
import { Ending, ImportEndings } from '../../engine/conversation/import-endings';
import { summaryOf } from '../../engine/conversation/import-summary';
import { repliable } from './mail-offers';
import { FollowUpAddress } from './follow-up-address';
import { ConversationsRepository } from './conversations.repository';
import { cutReportNote, reportExtent } from '../../core/report/bounded-report';
import { summaryBody } from './mail-outcome';
import { OutboxService } from './outbox.service';
import { replySubject, type OutgoingAttachment } from '../../protocols/mail/outgoing-mail';

/** When an emailed import ends, answer in its thread with the counts, their top reasons and the report. */
@Injectable()
export class SummaryListener implements OnApplicationBootstrap {
  constructor(
    private readonly endings: ImportEndings,
    private readonly conversations: ConversationsRepository,
    private readonly outbox: OutboxService,
    private readonly followUp: FollowUpAddress,
    private readonly reports: ImportReport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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
    const { withReport, reportName } = summaryOf(v);
    const attachments: OutgoingAttachment[] = withReport ? [{ filename: reportName, reportOf: v.id }] : [];
    // The summary can be answered ("yes" after a dry run, "duplicates: update", "undo", "retry").
    const replyTo = repliable(v) ? await this.followUp.open(conv, [v.id], key) : undefined;
    const report = {
      workspaceId: n.workspaceId,
      importId: v.id,
      actor: { door: 'email', person: null },
    } as const;
    const reasons = withReport ? await this.reports.topReasons(report) : undefined;
    // The attachment is cut at the same line when the mail is sent: the report no longer changes.
    const extent = withReport
      ? await reportExtent(this.reports.lines(report), this.config.limits.report.attachmentBytes)
      : null;
    const cut = extent?.cut ? cutReportNote(extent, v.counts.skipped + v.counts.flagged, v.id) : undefined;
    await this.outbox.send(key, {
      workspaceId: n.workspaceId,
      to: conv.sender,
      subject: replySubject(conv.subject),
      ...summaryBody(v, reasons, cut),
      inReplyTo: conv.messageId,
      references: conv.references,
      replyTo,
      attachments,
    });
  }
}
