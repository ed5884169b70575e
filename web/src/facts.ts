import type { ImportView, Undone } from './types.js';
import { el } from './dom.js';
import { STATUS_NAMES } from './mapping.js';

/** A date as the person's browser writes dates. */
export function when(iso: string): string {
  return new Date(iso).toLocaleString();
}

/** The facts of an import as a description list's terms and details. */
export function facts(view: ImportView): HTMLElement[] {
  const rows: [string, string][] = [
    ['File', view.fileName],
    ['Type', view.type],
    ['Status', STATUS_NAMES[view.status] + (view.dryRun ? ' (dry run)' : '')],
    ['Rows read', String(view.counts.total)],
    [view.dryRun ? 'Would be imported' : 'Imported', String(view.counts.imported)],
    [view.dryRun ? 'Would be updated' : 'Updated', String(view.counts.updated)],
    ['Unchanged', String(view.counts.unchanged ?? 0)],
    ...(view.counts.companiesLinked
      ? ([
          ['Companies created', String(view.counts.companiesCreated ?? 0)],
          ['Linked to a company', String(view.counts.companiesLinked)],
        ] as [string, string][])
      : []),
    [view.dryRun ? 'Would be skipped' : 'Skipped', String(view.counts.skipped)],
    ['Flagged', String(view.counts.flagged)],
  ];
  if (view.rollback) rows.push(['Undone', undoneSentence(view.rollback)]);
  if (view.error) rows.push(['Error', view.error.message]);
  return rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]);
}

/** "2 records deleted, 3 restored, 1 kept (changed since)". */
export function undoneSentence(r: Undone): string {
  return `${r.deleted} records deleted, ${r.restored ?? 0} restored, ${r.kept ?? 0} kept (changed since)`;
}
