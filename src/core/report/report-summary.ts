import { stringify } from 'csv-stringify/sync';
import { ReasonTally } from './report-reasons';
import { neutralizeCell, OUTCOME_LABEL, ReportOutcome } from './report-writer';

/**
 * A skipped-rows report once its rows are gone (the retention period deletes them with the file):
 * how many rows were skipped or flagged for each kind of reason. Bounded whatever the file was.
 */
export interface ReportSummaryLine {
  outcome: ReportOutcome;
  reason: string;
  rows: number;
}

/** Kinds of reason kept per outcome: the most frequent ones. */
export const SUMMARY_KINDS = 50;

/** Counts streamed report rows per outcome and kind of reason. */
export class ReportSummaryTally {
  private readonly tallies: Record<ReportOutcome, ReasonTally> = {
    skipped: new ReasonTally(),
    flagged: new ReasonTally(),
  };

  add(outcome: ReportOutcome, reason: string): void {
    this.tallies[outcome].add(reason);
  }

  /** The most frequent kinds per outcome, skipped first; a row with two kinds counts under both. */
  lines(): ReportSummaryLine[] {
    return (['skipped', 'flagged'] as const).flatMap((outcome) =>
      this.tallies[outcome].top(SUMMARY_KINDS).map((r) => ({ outcome, reason: r.reason, rows: r.rows })),
    );
  }
}

/** The summarised report's header row. */
export function summaryHeader(): string {
  return stringify([['reason', 'outcome', 'rows']]);
}

export function summaryLine(line: ReportSummaryLine): string {
  return stringify([[neutralizeCell(line.reason), OUTCOME_LABEL[line.outcome], String(line.rows)]]);
}
