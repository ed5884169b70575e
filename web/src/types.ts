// The shapes the HTTP API answers with, as the page reads them (see /docs).

export type RecordType = 'clients' | 'leads' | 'companies';
export type Status =
  | 'awaiting_mapping'
  | 'queued'
  | 'running'
  | 'cancelling'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'rolling_back'
  | 'rolled_back';

export type OnDuplicate = 'skip' | 'update' | 'fill';

/** What an undo did: deleted what the import created, restored what it changed, kept what changed since. */
export interface Undone {
  deleted: number;
  restored: number;
  kept: number;
  at: string;
}

export interface Counts {
  total: number;
  imported: number;
  updated: number;
  /** Matched records the file would not change. */
  unchanged: number;
  skipped: number;
  flagged: number;
  companiesCreated?: number;
  companiesLinked?: number;
}

export interface Column {
  index: number;
  header: string;
  field: string | null;
  confidence: number;
  samples: string[];
  /** A suggestion the workspace learned: the import (and file) a person ran it in. */
  learnedFrom?: { importId: string | null; fileName: string | null; at: string };
}

export interface ImportView {
  id: string;
  type: RecordType;
  status: Status;
  channel: 'api' | 'cli' | 'slack' | 'email';
  by?: string | null;
  fileName: string;
  fileBytes: number;
  /** False while the upload is still being stored behind the answer. */
  fileStored: boolean;
  columns: Column[];
  mappingVersion: number;
  missingRequired: string[];
  conflicts: { field: string; columns: number[] }[];
  onDuplicate: OnDuplicate;
  dryRun: boolean;
  counts: Counts;
  committedRow: number;
  error: { code: string; message: string } | null;
  /** Why a queued import has not started yet, when its workspace's turns hold it back. */
  waiting?: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  rollback: Undone | null;
}

/** An import as `GET /imports` lists it: the view without its columns and what its mapping lacks. */
export type ImportSummary = Omit<ImportView, 'columns' | 'missingRequired' | 'conflicts'>;

export interface Field {
  /** A catalog field ("phone") or a custom field ("custom.birthday"). */
  key: string;
  label: string;
  required: boolean;
  custom?: boolean;
}

export interface RecordsPage {
  type: RecordType;
  page: number;
  limit: number;
  total: number;
  items: {
    _id: string;
    fields: Record<string, unknown>;
    custom?: Record<string, string>;
    importId?: string;
    createdAt: string;
  }[];
}
