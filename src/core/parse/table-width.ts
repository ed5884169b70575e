import { IntakeError } from '../intake-error';
import type { FileLayout } from './file-sniffer';

/** Longest sample value kept with an import: enough to guess a column's field from it. */
const SAMPLE_CELL_CHARS = 512;

/**
 * Refuses a file wider than `maxColumns` before anything is queued, saying how wide it is and what to
 * do; otherwise the layout with its samples bounded: no cells past the header, no value past
 * SAMPLE_CELL_CHARS (a sample row may be one huge line of the file's first bytes). `truncated`: the
 * layout was sniffed from the file's first bytes only, so a header without a row after it may be cut.
 */
export function fitLayout(layout: FileLayout, maxColumns: number, truncated = false): FileLayout {
  const width = layout.headers.length;
  if (width > maxColumns) {
    const atLeast = truncated && layout.samples.length === 0 ? 'at least ' : '';
    throw new IntakeError(
      'too_many_columns',
      `This file has ${atLeast}${count(width)} columns; Intake takes at most ${count(maxColumns)}. Remove the columns you do not need, or split the file.`,
      { columns: width, maxColumns },
    );
  }
  const samples = layout.samples.map((cells) =>
    cells.slice(0, width).map((c) => (c.length > SAMPLE_CELL_CHARS ? c.slice(0, SAMPLE_CELL_CHARS) : c)),
  );
  return { ...layout, samples };
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
