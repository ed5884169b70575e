// Pure helpers of the mapping table and the progress bar: no DOM, no network.
import type { Column, Counts, Field, ImportView } from './types.js';

export interface FieldRow {
  field: Field;
  column: Column | null;
}

/** One row per system field, with the file column that feeds it (the first, if two claim it). */
export function fieldRows(fields: readonly Field[], columns: readonly Column[]): FieldRow[] {
  return fields.map((field) => ({ field, column: columns.find((c) => c.field === field.key) ?? null }));
}

/** The column changes that make `columnIndex` (or no column) the only source of `fieldKey`. */
export function changesFor(
  columns: readonly Column[],
  fieldKey: string,
  columnIndex: number | null,
): { index: number; field: string | null }[] {
  const clear = columns
    .filter((c) => c.field === fieldKey && c.index !== columnIndex)
    .map((c) => ({ index: c.index, field: null }));
  return columnIndex === null ? clear : [...clear, { index: columnIndex, field: fieldKey }];
}

/**
 * The rows of the table: the type's fields and the workspace's custom fields, then each custom field a
 * column of this file is kept as that the workspace does not have yet (it gets one when the import starts).
 */
export function shownFields(fields: readonly Field[], columns: readonly Column[]): Field[] {
  const known = new Set(fields.map((f) => f.key));
  const fresh = columns
    .filter((c) => c.field !== null && c.field.startsWith('custom.') && !known.has(c.field))
    .map((c) => ({
      key: c.field!,
      label: c.header || `Column ${c.index + 1}`,
      required: false,
      custom: true,
    }));
  return [...fields, ...fresh];
}

/** Columns no field takes: each can be kept as a custom field. */
export function unmappedColumns(columns: readonly Column[]): Column[] {
  return columns.filter((c) => c.field === null);
}

export function labelOf(fields: readonly Field[], key: string): string {
  return fields.find((f) => f.key === key)?.label ?? key;
}

export function missingSentence(fields: readonly Field[], missing: readonly string[]): string {
  if (missing.length === 0) return 'Every required field is mapped.';
  const names = missing.map((k) => labelOf(fields, k)).join(', ');
  return `Required field${missing.length > 1 ? 's' : ''} not mapped: ${names}.`;
}

export const ACTIVE = new Set(['queued', 'running', 'cancelling', 'rolling_back']);

/**
 * How far an import is, from 0 to 1. The API tells the rows read, not the rows in the file, so the total
 * is estimated from the file's size and the size of its sample rows, and never shown as done early.
 */
export function progressOf(view: ImportView): number {
  if (view.status === 'completed' || view.status === 'rolled_back') return 1;
  const rows = Math.max(view.committedRow, view.counts.total);
  if (rows === 0) return 0;
  const samples = view.columns[0]?.samples.length ?? 0;
  let sampleBytes = 0;
  for (let r = 0; r < samples; r++) {
    sampleBytes += view.columns.reduce((n, c) => n + new Blob([c.samples[r] ?? '']).size + 1, 0);
  }
  const perRow = samples > 0 ? sampleBytes / samples : 50;
  const estimated = Math.max(rows, Math.round(view.fileBytes / perRow));
  return Math.min(0.99, rows / estimated);
}

export function countsLine(c: Counts, dryRun: boolean): string {
  const verb = dryRun ? 'would be ' : '';
  return (
    `${c.total} rows read, ${c.imported} ${verb}imported, ${c.updated} ${verb}updated, ` +
    `${c.unchanged ?? 0} unchanged, ${c.skipped} ${verb}skipped, ${c.flagged} flagged`
  );
}

export const DOOR_NAMES: Record<ImportView['channel'], string> = {
  api: 'Web / API',
  cli: 'CLI',
  slack: 'Slack',
  email: 'Email',
};

export const STATUS_NAMES: Record<ImportView['status'], string> = {
  awaiting_mapping: 'Awaiting mapping',
  queued: 'Queued',
  running: 'Running',
  cancelling: 'Cancelling',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  rolling_back: 'Undoing',
  rolled_back: 'Undone',
};
