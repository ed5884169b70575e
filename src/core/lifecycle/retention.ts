/**
 * How long Intake keeps what it was given: the stored file of an ended import, an import nobody
 * confirmed, learned mappings. Pure: the sweep asks these for cut-offs and words.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

/** The instant `days` days before `now`: what ended (or was uploaded) before it is due. */
export function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/** The error code an expired import carries, so doors can tell an expiry from a cancel. */
export const EXPIRED = 'expired';

/** Why an import waiting for its mapping was ended, stored with it and shown by every door. */
export function expiryReason(days: number): string {
  return `Nobody confirmed the mapping within ${count(days, 'day')}, so nothing was imported and the file was deleted.`;
}

export function isExpired(error: { code: string } | null | undefined): boolean {
  return error?.code === EXPIRED;
}

/** Refuses a retry or a real run whose file the retention period already removed. */
export function fileDeletedRefusal(importId: string, days: number): string {
  return `The file of import ${importId} was deleted ${count(days, 'day')} after the import ended; upload it again to import it.`;
}

export interface RetentionCounts {
  filesDeleted: number;
  importsExpired: number;
  mappingsDropped: number;
  reportRowsDeleted: number;
}

export function retentionSummary(c: RetentionCounts): string {
  return (
    `retention: ${count(c.filesDeleted, 'file')} deleted, ${count(c.importsExpired, 'import')} expired, ` +
    `${count(c.mappingsDropped, 'learned mapping')} dropped, ${count(c.reportRowsDeleted, 'report row')} deleted`
  );
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
