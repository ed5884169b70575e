import { stringify } from 'csv-stringify/sync';

/** Cells a spreadsheet would run as a formula get a leading apostrophe (CSV injection). */
export function neutralizeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** What became of a row the report lists. */
export type ReportOutcome = 'skipped' | 'flagged';

/** The report's own columns, before the file's: Intake recognises them when a report is sent back. */
export const REPORT_COLUMNS = ['row', 'reason', 'outcome'] as const;

/** The outcome column's words: a flagged row was imported, with a warning. */
export const OUTCOME_LABEL: Record<ReportOutcome, string> = {
  skipped: 'skipped',
  flagged: 'imported with warning',
};

/** For a workbook, the row column names the sheet its numbers belong to. */
export function reportHeader(headers: readonly string[], sheet?: string): string {
  const row = sheet === undefined ? 'row' : `row (sheet: ${sheet})`;
  return stringify([[row, ...REPORT_COLUMNS.slice(1), ...headers].map(neutralizeCell)]);
}

/** One line of the report: row, reason, outcome, then the original cells. */
export function reportLine(
  row: number,
  reason: string,
  outcome: ReportOutcome,
  cells: readonly string[],
): string {
  return stringify([
    [String(row), neutralizeCell(reason), OUTCOME_LABEL[outcome], ...cells.map(neutralizeCell)],
  ]);
}
