import { IntakeError } from '../intake-error';

/**
 * What one workspace (or one process) may hold of uploads, and the sentences that refuse one more.
 * Every door shows these words as they are, so a person hears the same thing in Slack, email, the API
 * and the CLI. Pure: the upload gate measures, these decide and word.
 */

/** What a workspace holds now, measured before an upload is received. */
export interface StorageUse {
  /** Bytes of uploaded files still stored (not yet deleted by a cancel, a failure or retention). */
  bytes: number;
  /** Rows of skipped-rows reports still stored. */
  reportRows: number;
}

export interface StorageQuota {
  bytes: number;
  reportRows: number;
  /** Days after an import ends before its file and report rows are deleted. */
  retentionDays: number;
}

/** Too many imports of the workspace wait for a mapping (429). */
export function awaitingMappingFull(quota: number): IntakeError {
  return new IntakeError(
    'quota_exceeded',
    `This workspace has ${quota} imports waiting for a mapping; start or cancel some first.`,
    { quota },
  );
}

/** The workspace is already sending as many files as it may at once (429). */
export function workspaceUploadsBusy(limit: number): IntakeError {
  return new IntakeError(
    'too_many_uploads',
    `This workspace is already sending ${plural(limit, 'file')} at once; send this one again when they have arrived.`,
    { limit },
  );
}

/** This process is receiving as many files as it may at once, for every workspace together (429). */
export function processUploadsBusy(limit: number): IntakeError {
  return new IntakeError(
    'too_many_uploads',
    `Intake is receiving ${plural(limit, 'file')} at once already; send this one again in a minute.`,
    { limit },
  );
}

/** The storage refusal when `use` has reached the quota, else null. */
export function storageRefusal(use: StorageUse, quota: StorageQuota): IntakeError | null {
  if (use.bytes < quota.bytes && use.reportRows < quota.reportRows) return null;
  return storageFull(quota);
}

/**
 * The workspace keeps as much as it may (413). One sentence whichever part is full, so every door says
 * the same thing; the details name the figures.
 */
export function storageFull(quota: StorageQuota): IntakeError {
  return new IntakeError(
    'storage_full',
    `This workspace's storage is full (${sizeText(quota.bytes)} of files or ` +
      `${quota.reportRows.toLocaleString('en-US')} report rows); cancel imports waiting for a mapping ` +
      `or wait until ended imports' files and reports are deleted, ${plural(quota.retentionDays, 'day')} after they end.`,
    { quotaBytes: quota.bytes, quotaReportRows: quota.reportRows },
  );
}

/** The most of a new file that still fits under the byte quota (at least one byte, so a refusal reads right). */
export function roomLeft(use: StorageUse, quota: StorageQuota): number {
  return Math.max(1, quota.bytes - use.bytes);
}

/** "5 GB", "300 MB", "12 KB", "900 bytes": a size as a person reads it. */
export function sizeText(bytes: number): string {
  const units: [number, string][] = [
    [1024 ** 3, 'GB'],
    [1024 ** 2, 'MB'],
    [1024, 'KB'],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) return `${Math.round((bytes / size) * 10) / 10} ${unit}`;
  }
  return plural(bytes, 'byte');
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
