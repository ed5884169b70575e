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

export interface Counts {
  total: number;
  imported: number;
  updated: number;
  skipped: number;
  flagged: number;
}

export interface Column {
  index: number;
  header: string;
  field: string | null;
  confidence: number;
  samples: string[];
}

export interface ImportView {
  id: string;
  type: RecordType;
  status: Status;
  channel: 'api' | 'cli' | 'slack' | 'email';
  by?: string | null;
  fileName: string;
  fileBytes: number;
  columns: Column[];
  mappingVersion: number;
  missingRequired: string[];
  conflicts: { field: string; columns: number[] }[];
  onDuplicate: 'skip' | 'update';
  dryRun: boolean;
  counts: Counts;
  committedRow: number;
  error: { code: string; message: string } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  rollback: { deleted: number; at: string } | null;
}

export interface Field {
  key: string;
  label: string;
  required: boolean;
}

export interface RecordsPage {
  type: RecordType;
  page: number;
  limit: number;
  total: number;
  items: { _id: string; fields: Record<string, unknown>; importId?: string; createdAt: string }[];
}
