import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { boundedReport, cutReportNote, ReportExtent } from '../../core/report/bounded-report';
import { summaryOf } from '../../engine/conversation/import-summary';
import { ImportReport } from '../../engine/use-cases/report/use-case';
import type { ImportView } from '../../engine/imports/import-view';
import { SlackApi, Thread } from '../../protocols/slack/slack-api';

/** Uploads an import's report of skipped and flagged rows into a thread, bounded in size. */
@Injectable()
export class ReportUpload {
  constructor(
    private readonly reports: ImportReport,
    private readonly slack: SlackApi,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async upload(workspaceId: string, view: ImportView, thread: Thread): Promise<void> {
    // Held in memory to upload: bounded, however many rows the report has.
    const extent: ReportExtent = { rows: 0, bytes: 0, cut: false };
    const lines: string[] = [];
    const report = this.reports.lines({
      workspaceId,
      importId: view.id,
      actor: { door: 'slack', person: null },
    });
    for await (const line of boundedReport(report, this.config.limits.report.attachmentBytes, extent))
      lines.push(line);
    const about = `Rows of ${view.fileName} to look at (skipped, or imported with a warning), with the reason for each.`;
    const rows = view.counts.skipped + view.counts.flagged;
    const comment = extent.cut ? `${about} ${cutReportNote(extent, rows, view.id)}` : about;
    await this.slack.upload(thread, summaryOf(view).reportName, Buffer.from(lines.join('')), comment);
  }
}
