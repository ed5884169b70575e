import type { MappingTarget } from '../../core/custom-field';
import { FieldKey, missingRequired } from '../../core/field-catalog';
import { ZERO_COUNTS } from './import.schema';
import type { Import, ImportCounts, MappedColumn, OnDuplicate } from './import.schema';
import type { ImportStatus } from '../../core/lifecycle/import-lifecycle';
import { importedBy } from './import-origin';
import type { ImportBrief } from './stored-import';
import { offersFor } from '../conversation/offers';
import type { Offer } from '../conversation/offers';
import type { ImportAct } from './import.schema';

/** The error code of an import whose upload could not be stored (it must be sent again). */
export const FILE_NOT_STORED = 'file_not_stored';

export const START_MESSAGE = 'Import started. Records will appear in the system shortly.';
/** A dry run writes nothing, so it must not promise records. */
export const DRY_RUN_START_MESSAGE = 'Dry run started: I will read and check every row and write nothing.';

export interface ColumnView extends MappedColumn {
  samples: string[];
  /** No value in any of the sample rows kept with the import (up to 20). */
  empty?: boolean;
}

export interface ImportView {
  id: string;
  type: Import['type'];
  status: ImportStatus;
  channel: Import['channel'];
  /** The email sender or Slack user the import belongs to; null for the API and the CLI. */
  by?: string | null;
  fileName: string;
  fileBytes: number;
  /** False while the upload is still being stored in the database: a start made meanwhile runs once it is. */
  fileStored: boolean;
  /** False once the file is gone (deleted after the retention period, or never stored): nothing can read it again. */
  fileKept: boolean;
  encoding: string;
  delimiter: string;
  /** For a workbook: the sheet read, and every sheet's name in workbook order; null and [] for a CSV. */
  sheet?: string | null;
  sheets?: string[];
  columns: ColumnView[];
  /** Raised by every mapping change, so a client can tell which of two views is newer. */
  mappingVersion: number;
  missingRequired: FieldKey[];
  conflicts: { field: MappingTarget; columns: number[] }[];
  onDuplicate: OnDuplicate;
  /** Clients and leads are linked to companies (created when missing). */
  linkCompanies?: boolean;
  dryRun: boolean;
  counts: ImportCounts;
  committedRow: number;
  error: Import['error'];
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  rollback: Import['rollback'];
  /**
   * Why a queued import has not started yet ("waiting: 2 imports of this workspace are running",
   * "waiting for a free worker slot: all 2 are busy").
   */
  waiting?: string | null;
  /** Who did what to the import, and through which door, oldest first. */
  history: ImportAct[];
  /** What a person may do with the import now (the conversation's offers), in the order doors show them. */
  actions: Offer[];
}

/**
 * An import as a listing shows it: the view without its columns (names, samples, mapping), sheet
 * names and what the mapping lacks, which `GET /imports/{id}` gives.
 */
export type ImportSummary = Omit<
  ImportView,
  'columns' | 'sheets' | 'missingRequired' | 'conflicts' | 'actions'
>;

/** Fields claimed by more than one column: starting is refused until a person settles them. */
export function mappingConflicts(
  mapping: readonly MappedColumn[],
): { field: MappingTarget; columns: number[] }[] {
  const byField = new Map<MappingTarget, number[]>();
  for (const c of mapping) {
    if (c.field === null) continue;
    byField.set(c.field, [...(byField.get(c.field) ?? []), c.index]);
  }
  return [...byField].filter(([, cols]) => cols.length > 1).map(([field, columns]) => ({ field, columns }));
}

export function toImportView(imp: Import): ImportView {
  const view: ImportView = {
    ...toImportSummary(imp),
    actions: [],
    sheets: imp.layout.workbook?.sheets ?? [],
    columns: imp.mapping.map((c) => ({
      ...c,
      samples: imp.layout.samples.slice(0, 3).map((r) => r[c.index] ?? ''),
      empty: imp.layout.samples.every((r) => (r[c.index] ?? '').trim() === ''),
    })),
    missingRequired: missingRequired(
      imp.type,
      imp.mapping.map((c) => c.field),
    ),
    conflicts: mappingConflicts(imp.mapping),
  };
  view.actions = offersFor(view);
  return view;
}

export function toImportSummary(imp: ImportBrief): ImportSummary {
  return {
    id: imp._id,
    type: imp.type,
    status: imp.status,
    channel: imp.channel,
    by: importedBy(imp.channel, imp.origin),
    fileName: imp.fileName,
    fileBytes: imp.fileBytes,
    fileStored: !imp.fileStoring,
    fileKept: !imp.fileDeletedAt && imp.error?.code !== FILE_NOT_STORED,
    encoding: imp.layout.encoding,
    delimiter: imp.layout.delimiter,
    sheet: imp.layout.workbook?.sheet ?? null,
    mappingVersion: imp.mappingVersion ?? 0,
    onDuplicate: imp.onDuplicate,
    linkCompanies: imp.linkCompanies ?? true,
    dryRun: imp.dryRun,
    counts: { ...ZERO_COUNTS, ...imp.counts },
    committedRow: imp.committedRow,
    error: imp.error,
    createdAt: imp.createdAt,
    startedAt: imp.startedAt,
    finishedAt: imp.finishedAt,
    // Rollbacks from before restoring existed only deleted.
    rollback: imp.rollback
      ? { ...imp.rollback, restored: imp.rollback.restored ?? 0, kept: imp.rollback.kept ?? 0 }
      : null,
    waiting: null,
    history: imp.history ?? [],
  };
}
