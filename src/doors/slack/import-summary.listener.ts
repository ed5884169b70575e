import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { boundedReport, cutReportNote, ReportExtent } from '../../core/report/bounded-report';
import { ImportService } from '../../engine/imports/import.service';
import { ImportRowsRepository } from '../../engine/imports/import-rows.repository';
import { Ending, ImportEndings } from '../../engine/conversation/import-endings';
import { summaryOf } from '../../engine/conversation/import-summary';
import { progressMessage, summaryMessage } from './import.blocks';
import { ImportProgress } from './import-progress';
import { mappingPages } from './mapping.blocks';
import { SlackApi } from './slack-api';
import { SlackFilesRepository } from './slack-files.repository';

/**
 * Tells the thread how an import ended: the summary, then the skipped-rows report. Each step is
 * recorded once done, so a notice retried by Bull (after a Slack error) does not post twice.
 */
@Injectable()
export class ImportSummaryListener implements OnApplicationBootstrap {
  constructor(
    private readonly endings: ImportEndings,
    private readonly imports: ImportService,
    private readonly files: SlackFilesRepository,
    private readonly slack: SlackApi,
    private readonly progress: ImportProgress,
    private readonly rows: ImportRowsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.endings.consume('slack', (ending) => this.tell(ending));
  }

  private async tell({ notice, view, key }: Ending): Promise<void> {
    const file = await this.files.byImport(notice.workspaceId, notice.importId);
    if (!file?.threadTs) return;
    const thread = { channel: file.channel, threadTs: file.threadTs };
    const { withReport, reportName } = summaryOf(view);
    // The bar shows the ending too, even when the ending's event was missed or nobody here follows it.
    if (!this.progress.finish(view) && file.progressTs)
      await this.slack.tryUpdate(
        file.channel,
        file.progressTs,
        progressMessage(view, null),
        'the progress message',
      );
    if (!file.noticesDone.includes(`${key}:summary`)) {
      const reasons = withReport
        ? await this.imports.topReasons(notice.workspaceId, notice.importId)
        : undefined;
      const alreadyExist =
        view.status === 'completed' && !view.dryRun && view.counts.skipped
          ? await this.rows.countSkipped(notice.workspaceId, notice.importId, 'already exists')
          : 0;
      await this.slack.post(thread, summaryMessage(view, withReport, reasons, alreadyExist));
      await this.files.noticeStepDone(notice.workspaceId, notice.importId, `${key}:summary`);
      // The mapping messages show the final state (no controls left to press).
      const pages = mappingPages(view, { onDuplicate: file.onDuplicate, linkCompanies: file.linkCompanies });
      for (const [i, ts] of file.mappingTs.entries()) {
        const page = pages[i];
        if (ts && page) await this.slack.tryUpdate(file.channel, ts, page, 'the mapping message');
      }
    }
    if (withReport && !file.noticesDone.includes(`${key}:report`)) {
      // Held in memory to upload: bounded, however many rows the report has.
      const extent: ReportExtent = { rows: 0, bytes: 0, cut: false };
      const lines: string[] = [];
      const report = this.imports.report(notice.workspaceId, notice.importId);
      for await (const line of boundedReport(report, this.config.limits.report.attachmentBytes, extent))
        lines.push(line);
      const about = `Rows of ${view.fileName} to look at (skipped, or imported with a warning), with the reason for each.`;
      const rows = view.counts.skipped + view.counts.flagged;
      const comment = extent.cut ? `${about} ${cutReportNote(extent, rows, view.id)}` : about;
      await this.slack.upload(thread, reportName, Buffer.from(lines.join('')), comment);
      await this.files.noticeStepDone(notice.workspaceId, notice.importId, `${key}:report`);
    }
  }
}
