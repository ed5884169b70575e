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

/** Everything a person may do with an import, in the order the page shows them (the API's `actions`). */
export const OFFER_KINDS = [
  'start',
  'dry_run',
  'run_for_real',
  'choose_sheet',
  'change_type',
  'change_columns',
  'cancel',
  'retry',
  'undo',
  'update_existing',
  'download_report',
] as const;
export type OfferKind = (typeof OFFER_KINDS)[number];

/** One thing a person may do now; `confirm` is asked first, `choices` are what may be chosen. */
export interface Offer {
  kind: OfferKind;
  label: string;
  confirm?: string;
  choices?: string[];
}

export type Door = 'api' | 'cli' | 'slack' | 'email';

/** Who did what to an import, through which door (`person` is null for an API key or the CLI). */
export interface ImportAct {
  act: Exclude<OfferKind, 'download_report'>;
  door: Door;
  person: string | null;
  at: string;
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
  channel: Door;
  by?: string | null;
  fileName: string;
  fileBytes: number;
  /** False while the upload is still being stored behind the answer. */
  fileStored: boolean;
  /** False once the file is gone (retention, or never stored): nothing can read it again. */
  fileKept: boolean;
  /** For a workbook: the sheet read and every sheet's name; null and [] for a CSV. */
  sheet?: string | null;
  sheets?: string[];
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
  /** Who did what to it, oldest first. */
  history: ImportAct[];
  /** What a person may do with it now: the page shows these and nothing else. */
  actions: Offer[];
}

/** An import as `GET /imports` lists it: the view without its columns, sheets, offers and what its mapping lacks. */
export type ImportSummary = Omit<
  ImportView,
  'columns' | 'sheets' | 'missingRequired' | 'conflicts' | 'actions'
>;

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
