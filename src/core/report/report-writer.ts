import { stringify } from 'csv-stringify/sync';

/** Cells a spreadsheet would run as a formula get a leading apostrophe (CSV injection). */
export function neutralizeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function reportHeader(headers: readonly string[]): string {
  return stringify([['row', 'reason', ...headers].map(neutralizeCell)]);
}

/** One line of the skipped-rows report: row, reason, then the original cells. */
export function reportLine(row: number, reason: string, cells: readonly string[]): string {
  return stringify([[String(row), neutralizeCell(reason), ...cells.map(neutralizeCell)]]);
}
