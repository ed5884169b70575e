import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ImportReport } from '../../engine/use-cases/report/use-case';
import { ImportRowsRepository } from '../../engine/imports/import-rows.repository';
import { Ending, ImportEndings } from '../../engine/conversation/import-endings';
import { summaryOf } from '../../engine/conversation/import-summary';
import { progressMessage, summaryMessage } from './import.blocks';
import { ImportProgress } from './import-progress';
import { mappingPages } from './mapping.blocks';
import { SlackApi } from '../../protocols/slack/slack-api';
import { SlackFilesRepository } from './slack-files.repository';
import { ReportUpload } from './report-upload';

/**
 * Tells the thread how an import ended: the summary, then the skipped-rows report. Each step is
 * recorded once done, so a notice retried by Bull (after a Slack error) does not post twice.
 */
@Injectable()
export class ImportSummaryListener implements OnApplicationBootstrap {
  constructor(
    private readonly endings: ImportEndings,
    private readonly report: ImportReport,
    private readonly files: SlackFilesRepository,
    private readonly slack: SlackApi,
    private readonly progress: ImportProgress,
    private readonly rows: ImportRowsRepository,
    private readonly reports: ReportUpload,
  ) {}

  onApplicationBootstrap(): void {
    this.endings.consume('slack', (ending) => this.tell(ending));
  }

  private async tell({ notice, view, key }: Ending): Promise<void> {
    const file = await this.files.byImport(notice.workspaceId, notice.importId);
    if (!file?.threadTs) return;
    const thread = { channel: file.channel, threadTs: file.threadTs };
    const { withReport } = summaryOf(view);
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
        ? await this.report.topReasons({
            workspaceId: notice.workspaceId,
            importId: notice.importId,
            actor: { door: 'slack', person: null },
          })
        : undefined;
      // Counted by the run; read from the report for imports that ran before it counted them.
      const alreadyExist = view.actions.some((o) => o.kind === 'update_existing')
        ? (view.counts.existing ??
          (await this.rows.countSkipped(notice.workspaceId, notice.importId, 'already exists')))
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
      await this.reports.upload(notice.workspaceId, view, thread);
      await this.files.noticeStepDone(notice.workspaceId, notice.importId, `${key}:report`);
    }
  }
}
