import type { ImportView } from '../imports/import-view';
import { offersFor } from './offers';

/** Counts of an import that has read nothing yet. */
export const NO_COUNTS = { total: 0, imported: 0, updated: 0, unchanged: 0, skipped: 0, flagged: 0 };

/**
 * An import's view with every field at a plain default, for unit specs: each spec names only what it is
 * about. Not part of the build (tsconfig.build.json leaves out `*.fixture.ts`).
 */
export function importView(over: Partial<ImportView> = {}): ImportView {
  return {
    id: 'imp_1',
    type: 'clients',
    status: 'awaiting_mapping',
    channel: 'api',
    fileName: 'people.csv',
    fileBytes: 100,
    fileStored: true,
    fileKept: true,
    history: [],
    actions: [],
    encoding: 'utf-8',
    delimiter: ',',
    mappingVersion: 0,
    columns: [],
    missingRequired: [],
    conflicts: [],
    onDuplicate: 'skip',
    dryRun: false,
    counts: { ...NO_COUNTS },
    committedRow: 0,
    error: null,
    createdAt: new Date(0),
    startedAt: null,
    finishedAt: null,
    rollback: null,
    ...over,
  };
}

/** The same view with the offers the conversation makes for it, as every door receives it. */
export function offeredView(over: Partial<ImportView> = {}): ImportView {
  const view = importView(over);
  return { ...view, actions: over.actions ?? offersFor(view) };
}
