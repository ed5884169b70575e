import { columnOf, SheetRow } from './sheet-reader';

/** A merged area, 1-based and inclusive. */
interface MergeRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** Merges honoured per sheet, and the cells they may cover together: the work they add stays bounded. */
export const MAX_MERGES = 1000;
const MAX_MERGED_CELLS = 1_000_000;

/**
 * A `<mergeCell ref="B2:C4"/>` tag, with or without a namespace prefix. Its attributes are read up to the
 * next `<` or `>` (XML allows neither inside a tag), so an unclosed tag costs one pass to the next tag, not
 * a pass to the end of the text from every `<mergeCell`.
 */
export const MERGE_TAG =
  /<(?:[\w-]+:)?mergeCell\b[^<>]*?\bref="([A-Za-z]{1,3}\d{1,7}(?::[A-Za-z]{1,3}\d{1,7})?)"/g;
/** Longer than any `<mergeCell ref="…"/>` tag, so one split between chunks is seen whole. */
const CARRY = 256;

/** "B2:C4" → its area; null for a reference that is no area. */
export function parseRange(ref: string): MergeRange | null {
  const [from = '', to = from] = ref.split(':');
  const cell = (r: string) => ({ col: columnOf(r), row: Number(r.replace(/^[A-Za-z]+/, '')) });
  const a = cell(from);
  const b = cell(to);
  if (!(a.col > 0 && b.col > 0 && a.row > 0 && b.row > 0)) return null;
  return {
    top: Math.min(a.row, b.row),
    bottom: Math.max(a.row, b.row),
    left: Math.min(a.col, b.col),
    right: Math.max(a.col, b.col),
  };
}

/**
 * Finds the sheet's merged areas (`<mergeCell ref="B2:C4"/>`, stored after the rows) in its XML text as
 * it streams by, without parsing the rest; keeps the first MAX_MERGES within MAX_MERGED_CELLS.
 */
export class MergeScanner {
  readonly refs: string[] = [];
  private carry = '';
  private cells = 0;

  scan(text: string): void {
    const joined = this.carry + text;
    this.carry = joined.slice(-CARRY);
    // Rows make up nearly all of a sheet: skip them without running the pattern.
    if (!joined.includes('mergeCell')) return;
    const carried = joined.length - text.length;
    MERGE_TAG.lastIndex = 0;
    for (let m = MERGE_TAG.exec(joined); m; m = MERGE_TAG.exec(joined)) {
      // A tag wholly inside the carried tail was seen with the previous chunk.
      if (m.index + m[0].length <= carried) continue;
      this.add(m[1] ?? '');
    }
  }

  private add(ref: string): void {
    const range = parseRange(ref);
    if (!range || this.refs.length >= MAX_MERGES) return;
    const area = (range.bottom - range.top + 1) * (range.right - range.left + 1);
    if (this.cells + area > MAX_MERGED_CELLS) return;
    this.cells += area;
    this.refs.push(ref.toUpperCase());
  }
}

/**
 * Shows merged cells as people see them, on rows given in order: a merge's value is its top-left cell's;
 * the other cells of its first row are empty, and each later row it covers shows that value in the
 * merge's first column (so rows under a merged "Acme" each read "Acme"), the rest empty. A row blank
 * but for a merge stays blank: it is not a row.
 */
export class MergeFiller {
  private readonly pending: MergeRange[];
  private active: { range: MergeRange; value: string }[] = [];

  constructor(refs: readonly string[]) {
    this.pending = refs
      .map(parseRange)
      .filter((r): r is MergeRange => r !== null)
      .sort((a, b) => b.top - a.top);
  }

  apply(row: SheetRow, blank: boolean): void {
    for (let next = this.pending.at(-1); next && next.top <= row.row; next = this.pending.at(-1)) {
      this.pending.pop();
      const value = next.top === row.row ? (row.cells[next.left - 1] ?? '') : '';
      this.active.push({ range: next, value });
    }
    if (!this.active.length) return;
    for (const { range, value } of this.active) {
      if (range.bottom < row.row) continue;
      const below = row.row > range.top;
      if (below && !blank && value !== '') {
        while (row.cells.length < range.left - 1) row.cells.push('');
        row.cells[range.left - 1] = value;
      }
      const end = Math.min(range.right, row.cells.length);
      for (let col = range.left + 1; col <= end; col++) row.cells[col - 1] = '';
    }
    this.active = this.active.filter((a) => a.range.bottom > row.row);
  }
}
