import { IntakeError } from '../intake-error';
import type { FileLayout } from './file-sniffer';

/** Whether a sniffed file reads as a table worth proposing a mapping for, and why not. */
export type TableVerdict = { table: true } | { table: false; reason: string };

/** A header cell of this many words reads as a sentence, not a column name. */
const PROSE_WORDS = 8;

function filledWidth(cells: readonly string[]): number {
  let n = cells.length;
  while (n > 0 && (cells[n - 1] ?? '').trim() === '') n--;
  return n;
}

/**
 * A row fits when it has the header's width ±1, and a line of text holds at least one delimiter. A
 * sheet leaves out the empty cells after a row's last value, so there only the upper bound applies.
 */
function fits(row: readonly string[], width: number, workbook: boolean): boolean {
  if (filledWidth(row) > width + 1) return false;
  return workbook || row.length >= Math.max(2, width - 1);
}

/**
 * A table has a header naming at least two columns, at least one row under it, and most sampled rows
 * about as wide as the header. Meeting notes, a letter or a list of words are not tables.
 */
export function tableVerdict(layout: Pick<FileLayout, 'headers' | 'samples' | 'workbook'>): TableVerdict {
  const named = layout.headers.filter((h) => h.trim() !== '');
  if (named.length < 2) return { table: false, reason: 'it has no header line naming two columns or more.' };
  if (named.some((h) => h.split(/\s+/).length >= PROSE_WORDS)) {
    return { table: false, reason: 'its first line reads as a sentence, not as column names.' };
  }
  const rows = layout.samples;
  if (rows.length === 0) return { table: false, reason: 'it has a header line but no rows under it.' };
  const width = filledWidth(layout.headers);
  const fitting = rows.filter((r) => fits(r, width, Boolean(layout.workbook))).length;
  if (fitting * 2 <= rows.length) {
    return {
      table: false,
      reason: `only ${fitting} of its first ${rows.length} lines have about as many values as its header's ${width} columns.`,
    };
  }
  return { table: true };
}

/** Throws not_a_table, naming the file and why, for a layout that is no table. */
export function assertTable(fileName: string, layout: Pick<FileLayout, 'headers' | 'samples' | 'workbook'>) {
  const verdict = tableVerdict(layout);
  if (!verdict.table) {
    throw new IntakeError('not_a_table', `${fileName} does not look like a table: ${verdict.reason}`);
  }
}
