/** How much of a row the skipped-rows report keeps: per cell and for the whole row, in characters. */
export interface ReportCaps {
  readonly cellChars: number;
  readonly rowChars: number;
}

export const DEFAULT_REPORT_CAPS: ReportCaps = { cellChars: 2048, rowChars: 16 * 1024 };

/** Ends a value that was cut for the report, so the person knows the file holds more. */
export const CUT_MARK = '…[cut]';

/**
 * The cells as the report keeps them: at most `cellChars` of each value and `rowChars` of the row's
 * values; a cut value ends with CUT_MARK and cells past the row's budget are left out. The same array
 * when nothing is cut.
 */
export function clipCells(cells: readonly string[], caps: ReportCaps): readonly string[] {
  let total = 0;
  for (const cell of cells) {
    total += cell.length;
    if (cell.length > caps.cellChars || total > caps.rowChars) return clipFrom(cells, caps);
  }
  return cells;
}

function clipFrom(cells: readonly string[], caps: ReportCaps): string[] {
  const out: string[] = [];
  let room = caps.rowChars;
  for (const cell of cells) {
    const keep = Math.min(caps.cellChars, room);
    if (cell.length <= keep) {
      out.push(cell);
      room -= cell.length;
      continue;
    }
    out.push(cell.slice(0, keep) + CUT_MARK);
    room -= keep;
    if (room <= 0) break;
  }
  return out;
}

/** A text kept to at most `max` characters, ending with CUT_MARK when cut. */
export function clipText(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max) + CUT_MARK;
}

/** Characters held by cells: what a pending row costs a batch. */
export function charsOf(cells: readonly string[]): number {
  let total = 0;
  for (const cell of cells) total += cell.length;
  return total;
}
