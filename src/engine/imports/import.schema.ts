import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';
import type { MappingTarget } from '../../core/custom-field';
import type { SuggestionReason } from '../../core/mapping/mapping-suggester';
import type { RecordType } from '../../core/record-type';
import type { FileLayout } from '../../core/parse/file-sniffer';
import type { ImportStatus } from '../../core/lifecycle/import-lifecycle';
import type { ReportSummaryLine } from '../../core/report/report-summary';

/** `skip` existing records, `update` them with the row's non-empty values, or `fill` only their empty fields. */
export type OnDuplicate = 'skip' | 'update' | 'fill';
export const ON_DUPLICATE = ['skip', 'update', 'fill'] as const satisfies readonly OnDuplicate[];

export function isOnDuplicate(value: unknown): value is OnDuplicate {
  return typeof value === 'string' && (ON_DUPLICATE as readonly string[]).includes(value);
}
export type Channel = 'api' | 'cli' | 'slack' | 'email';

/** What a person did to an import (the conversation's offers, as acts). */
export type ImportActKind =
  | 'start'
  | 'dry_run'
  | 'run_for_real'
  | 'choose_sheet'
  | 'change_type'
  | 'change_columns'
  | 'cancel'
  | 'retry'
  | 'undo'
  | 'update_existing';

/** Who acted on an import, and through which door (the web page acts through the API). */
export interface Actor {
  door: Channel;
  /** The Slack user id or email sender; null for an API key or the CLI, which name nobody. */
  person: string | null;
}

/** One act in an import's history. */
export interface ImportAct extends Actor {
  act: ImportActKind;
  at: Date;
}

/** Acts kept per import: the oldest go first. */
export const HISTORY_LIMIT = 50;

export interface MappedColumn {
  index: number;
  header: string;
  /** A catalog field, `custom.<key>` (kept as a custom field), or null (not imported). */
  field: MappingTarget | null;
  confidence: number;
  /** Why the suggester chose the field (null: left unmapped); absent once a person chose. */
  reason?: SuggestionReason | null;
  /** The column's values speak against its suggested field; absent once a person chose. */
  warning?: string;
  /** When a person chose this column's field (ms since the epoch); absent for a suggestion. */
  chosenAt?: number;
  /** For a suggestion the workspace learned: the import a person ran it in. Absent once a person chose. */
  learnedFrom?: LearnedFrom;
}

/** Where a learned choice came from: the real run a person started (null for choices learned before). */
export interface LearnedFrom {
  importId: string | null;
  fileName: string | null;
  at: Date;
}

export interface ImportCounts {
  total: number;
  imported: number;
  /** Matched records whose values changed. */
  updated: number;
  /** Matched records the row would not change. */
  unchanged: number;
  skipped: number;
  flagged: number;
  /** Of the skipped rows, those whose record already existed (kept as it was: `onDuplicate: skip`). */
  existing?: number;
  /** Clients and leads imports that link contacts: companies created (name only), contacts linked. */
  companiesCreated?: number;
  companiesLinked?: number;
}

export const ZERO_COUNTS: ImportCounts = {
  total: 0,
  imported: 0,
  updated: 0,
  unchanged: 0,
  skipped: 0,
  flagged: 0,
};

/**
 * What a rollback did: records deleted (created by the import), restored (changed by it, put back) and
 * kept (changed again since, by another import or an edit, so left as they are).
 */
export interface RollbackSummary {
  deleted: number;
  /** Companies the import created to link contacts to, deleted because nothing links to them any more. */
  companiesDeleted?: number;
  restored: number;
  kept: number;
  at: Date;
}

/** What sniffing found, kept with the import so every worker parses the file the same way. */
export type ImportLayout = FileLayout;

@Schema({ collection: 'imports', versionKey: false, minimize: false })
export class Import {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true, index: true }) workspaceId!: string;
  @Prop({ type: String, required: true }) type!: RecordType;
  @Prop({ type: String, required: true, index: true }) status!: ImportStatus;
  @Prop({ type: String, required: true }) channel!: Channel;
  @Prop({ type: Object, default: {} }) origin!: Record<string, unknown>;
  @Prop({ required: true }) fileId!: string;
  /** When the retention sweep deleted the stored file: nothing can read the file again (no retry). */
  @Prop({ type: Date, default: null }) fileDeletedAt!: Date | null;
  /**
   * True from the upload's answer until its file is in the database: the import can be mapped and
   * started meanwhile, and runs once the file is stored. The process storing it keeps `heartbeatAt` fresh.
   */
  @Prop({ default: false }) fileStoring!: boolean;
  /** Queued by a door that tells the person first, then lets it run (`StartImport.executeThenTell`). */
  @Prop({ default: false }) held!: boolean;
  @Prop({ required: true }) fileName!: string;
  @Prop({ required: true }) fileBytes!: number;
  @Prop({ type: Object, required: true }) layout!: ImportLayout;
  @Prop({ type: [Object], default: [] }) mapping!: MappedColumn[];
  /** Raised by every mapping change: a start or change computed from an older mapping does not apply. */
  @Prop({ default: 0 }) mappingVersion!: number;
  /** When a person last chose the type (ms since the epoch), so an earlier choice handled late loses. */
  @Prop({ default: 0 }) typeChosenAt!: number;
  @Prop({ type: String, default: 'skip' }) onDuplicate!: OnDuplicate;
  /** Clients and leads with a company value are linked to a company record (created when missing). */
  @Prop({ default: true }) linkCompanies!: boolean;
  @Prop({ default: false }) dryRun!: boolean;
  /** A real run a person started: its mapping is learned by the workspace once it completes. */
  @Prop({ default: false }) teaches?: boolean;
  @Prop({ type: Object, default: () => ({ ...ZERO_COUNTS }) }) counts!: ImportCounts;
  /** Last file row whose records, skips and counts are all committed: a retry resumes after it. */
  @Prop({ default: 0 }) committedRow!: number;
  @Prop({ type: Object, default: null }) error!: { code: string; message: string; row?: number } | null;
  @Prop({ default: 0 }) attempts!: number;
  @Prop({ type: Date, required: true }) createdAt!: Date;
  @Prop({ type: Date, default: null }) startedAt!: Date | null;
  @Prop({ type: Date, default: null }) finishedAt!: Date | null;
  @Prop({ type: Date, default: null }) heartbeatAt!: Date | null;
  @Prop({ type: Object, default: null }) rollback!: RollbackSummary | null;
  /** Who did what to it, through which door, oldest first (at most HISTORY_LIMIT acts). */
  @Prop({ type: [Object], default: undefined }) history?: ImportAct[];
  /**
   * The skipped-rows report counted per kind of reason, written by the retention sweep before it
   * deletes the report's rows; from then on the report is this summary. Absent while the rows are kept.
   */
  @Prop({ type: [Object], default: undefined }) reportSummary?: ReportSummaryLine[];
  /** When the retention sweep finished deleting the report's rows (they no longer count in storage). */
  @Prop({ type: Date, default: null }) reportRowsDeletedAt?: Date | null;
}

export type ImportDocument = HydratedDocument<Import>;
export const ImportSchema = SchemaFactory.createForClass(Import);
ImportSchema.index({ workspaceId: 1, createdAt: -1 });
// The retention sweep's two questions: which ended imports still hold a file, and which waited too long.
ImportSchema.index({ status: 1, finishedAt: 1 });
ImportSchema.index({ status: 1, createdAt: 1 });
// Counting a workspace's imports waiting for a mapping, on every upload.
ImportSchema.index({ workspaceId: 1, status: 1 });

/** One skipped or flagged row; (importId, row) is unique so a resumed batch cannot write it twice. */
@Schema({ collection: 'import_rows', versionKey: false })
export class ImportRowIssue {
  @Prop({ required: true }) importId!: string;
  @Prop({ required: true }) workspaceId!: string;
  @Prop({ required: true }) row!: number;
  @Prop({ type: String, required: true }) outcome!: 'skipped' | 'flagged';
  @Prop({ required: true }) reason!: string;
  @Prop({ type: [String], default: [] }) cells!: string[];
}

export const ImportRowIssueSchema = SchemaFactory.createForClass(ImportRowIssue);
ImportRowIssueSchema.index({ importId: 1, row: 1 }, { unique: true });
