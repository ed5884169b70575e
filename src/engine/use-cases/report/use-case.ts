import { Injectable } from '@nestjs/common';
import { ReasonTally } from '../../../core/report/report-reasons';
import { summaryHeader, summaryLine } from '../../../core/report/report-summary';
import { reportHeader, reportLine } from '../../../core/report/report-writer';
import type { TopReasons } from '../../../core/report/report-reasons';
import { ImportRowsRepository } from '../../imports/import-rows.repository';
import { ImportsRepository } from '../../imports/imports.repository';
import { parseCommand } from '../shared/command';
import { ReportCommand, reportCommand } from './command';

/** Rows read to count the top reasons of a summary. */
const REASON_ROWS = 100_000;

/** What an import's report says: every skipped or flagged row, or the most frequent reasons. */
@Injectable()
export class ImportReport {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly rows: ImportRowsRepository,
  ) {}

  /**
   * The report as CSV lines, streamed: every skipped row and every row imported with a warning. Once
   * the retention period has deleted the rows, their summary: how many rows per kind of reason.
   */
  async *lines(command: ReportCommand): AsyncIterable<string> {
    const { workspaceId, importId: id } = parseCommand(reportCommand, command, 'read the report');
    const imp = await this.imports.get(workspaceId, id);
    if (imp.reportSummary) {
      yield summaryHeader();
      for (const line of imp.reportSummary) yield summaryLine(line);
      return;
    }
    yield reportHeader(imp.layout.headers, imp.layout.workbook?.sheet);
    for await (const r of this.rows.stream(workspaceId, id))
      yield reportLine(r.row, r.reason, r.outcome, r.cells);
  }

  /**
   * The most frequent kinds of reason among the skipped and the flagged rows, counted over the first
   * REASON_ROWS of them (`sampled` when there were more), so a summary costs bounded work.
   */
  async topReasons(command: ReportCommand): Promise<TopReasons> {
    const { workspaceId, importId: id, top = 3 } = parseCommand(reportCommand, command, 'count the reasons');
    const skipped = new ReasonTally();
    const flagged = new ReasonTally();
    let rows = 0;
    for await (const r of this.rows.reasons(workspaceId, id, REASON_ROWS)) {
      // A skipped row counts once (its first reason), so the reasons add up to the skipped rows.
      if (r.outcome === 'flagged') flagged.add(r.reason);
      else skipped.add(r.reason, true);
      rows++;
    }
    return { skipped: skipped.top(top), flagged: flagged.top(top), sampled: rows >= REASON_ROWS };
  }
}
