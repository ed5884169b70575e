import type { Model } from 'mongoose';
import { IMPORT_STATUSES, isTerminal } from '../../core/lifecycle/import-lifecycle';
import type { Import } from './import.schema';

/** FerretDB 1.x stores no nested arrays, so sample rows are kept as {cells} objects in the database. */
export type StoredImport = Omit<Import, 'layout'> & {
  layout: Omit<Import['layout'], 'samples'> & { samples: { cells: string[] }[] };
};

export function toStored(imp: Import): StoredImport {
  return { ...imp, layout: { ...imp.layout, samples: imp.layout.samples.map((cells) => ({ cells })) } };
}

/** A mapping change as stored: a new layout (another sheet) with its samples wrapped like toStored's. */
export function storedChange<T extends Partial<Pick<Import, 'layout'>>>(
  set: T,
): Omit<T, 'layout'> & Partial<Pick<StoredImport, 'layout'>> {
  const { layout, ...rest } = set;
  if (!layout) return rest;
  return { ...rest, layout: { ...layout, samples: layout.samples.map((cells) => ({ cells })) } };
}

type Defaulted = 'mappingVersion' | 'typeChosenAt' | 'fileDeletedAt' | 'fileStoring' | 'held';

/** An import as read, with the fields that earlier releases did not store set to what they meant. */
function withDefaults<T extends Pick<Import, Defaulted>>(doc: T): T {
  return {
    ...doc,
    // Imports stored by earlier releases have neither field: they are at version 0, type never chosen.
    mappingVersion: doc.mappingVersion ?? 0,
    typeChosenAt: doc.typeChosenAt ?? 0,
    fileDeletedAt: doc.fileDeletedAt ?? null,
    fileStoring: doc.fileStoring ?? false,
    held: doc.held ?? false,
  };
}

export function fromStored(doc: StoredImport | null): Import | null {
  if (!doc) return null;
  return withDefaults({ ...doc, layout: { ...doc.layout, samples: doc.layout.samples.map((s) => s.cells) } });
}

/**
 * An import without what its file's head put in it (column names, sample rows, sheet names, merges,
 * the mapping): what listings and sweeps read, a hundred at a time, so that a head of hostile cells
 * kept with each import cannot make one listing hold hundreds of megabytes.
 */
export type ImportBrief = Omit<Import, 'layout' | 'mapping'> & {
  layout: Pick<Import['layout'], 'encoding' | 'delimiter'> & {
    workbook?: Pick<NonNullable<Import['layout']['workbook']>, 'sheet'>;
  };
};

/** Left out of a brief by the database: the layout's parts of unbounded count and the mapping. */
const BRIEF_PROJECTION = {
  'layout.samples': 0,
  'layout.headers': 0,
  'layout.workbook.sheets': 0,
  'layout.workbook.merges': 0,
  mapping: 0,
} as const;

/** The briefs of the first `limit` imports matching `query`, in `sort` order when given. */
export async function readBriefs(
  model: Model<Import>,
  query: Record<string, unknown>,
  limit: number,
  sort?: Record<string, 1 | -1>,
): Promise<ImportBrief[]> {
  const found = model.find(query, BRIEF_PROJECTION);
  const docs = await (sort ? found.sort(sort) : found).limit(limit).lean<ImportBrief[]>();
  return docs.map(withDefaults);
}

/** Settled imports: the only ones whose stored file nothing will read again by itself. */
export const SETTLED = IMPORT_STATUSES.filter(isTerminal);
