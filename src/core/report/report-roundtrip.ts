import { REPORT_COLUMNS } from './report-writer';

/**
 * How many of a file's first columns are an Intake report's own (`row`, `reason`, `outcome`; `row`,
 * `reason` in reports made before the outcome column): 0 for any other file. A report sent back after
 * its rows were fixed then imports its original columns only.
 */
export function reportColumnsIn(headers: readonly string[]): number {
  // A workbook's report names its sheet in the row column: "row (sheet: Clients)".
  const head = headers
    .slice(0, REPORT_COLUMNS.length)
    .map((h, i) => (i === 0 && /^row \(sheet: .*\)$/i.test(h.trim()) ? 'row' : h.trim().toLowerCase()));
  if (REPORT_COLUMNS.every((c, i) => head[i] === c)) return REPORT_COLUMNS.length;
  return head[0] === 'row' && head[1] === 'reason' ? 2 : 0;
}

/** Undoes the report's formula guard: `'+1 312 555 0177` → `+1 312 555 0177`. */
export function unguardCell(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}
