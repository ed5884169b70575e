import { stringify } from 'csv-stringify/sync';

/** Cells a spreadsheet would run as a formula get a leading apostrophe (CSV injection). */
export function neutralizeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** For a workbook, the row column names the sheet its numbers belong to. */
export function reportHeader(headers: readonly string[], sheet?: string): string {
  const row = sheet === undefined ? 'row' : `row (sheet: ${sheet})`;
  return stringify([[row, 'reason', ...headers].map(neutralizeCell)]);
}

/** One line of the skipped-rows report: row, reason, then the original cells. */
export function reportLine(row: number, reason: string, cells: readonly string[]): string {
  return stringify([[String(row), neutralizeCell(reason), ...cells.map(neutralizeCell)]]);
}
