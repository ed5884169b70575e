import { isTerminal, nextStatus } from '../../core/lifecycle/import-lifecycle';
import { isExpired } from '../../core/lifecycle/retention';
import { RECORD_TYPES } from '../../core/record-type';
import type { ImportView } from '../imports/import-view';
import { readinessOf } from './readiness';

/**
 * Everything a person may do with an import, in the order the doors show them. Each door renders every
 * kind in its own idiom (a Slack button, an email reply, a web button, a CLI command, an HTTP action);
 * the parity test fails when one of them lacks a kind listed here.
 */
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

export interface Offer {
  kind: OfferKind;
  /** What it is called, in the same words in every door. */
  label: string;
  /** A destructive offer asks this first where the door can ask (Slack, the web page). */
  confirm?: string;
  /** For choose_sheet and change_type: what may be chosen. */
  choices?: string[];
}

const LABELS: Record<OfferKind, string> = {
  start: 'Start import',
  dry_run: 'Dry run',
  run_for_real: 'Run it for real',
  choose_sheet: 'Choose the sheet',
  change_type: 'Change the type',
  change_columns: 'Change the columns',
  cancel: 'Cancel import',
  retry: 'Retry',
  undo: 'Undo import',
  update_existing: 'Update existing records',
  download_report: 'Download the report',
};

export function offerLabel(kind: OfferKind): string {
  return LABELS[kind];
}

/** The import's file can still be read: a run, a retry or an update needs it. */
export function fileKept(v: ImportView): boolean {
  return v.fileKept !== false && !isExpired(v.error);
}

/** The import wrote records (created or changed some), so undoing it would change something. */
export function wroteRecords(v: ImportView): boolean {
  return !v.dryRun && (v.counts.imported > 0 || v.counts.updated > 0);
}

/** Undo is possible now: the import wrote records, or a rollback stopped half-way and can go on. */
export function canUndo(v: ImportView): boolean {
  if (v.status === 'rolling_back') return true;
  return wroteRecords(v) && nextStatus(v.status, 'rollback') !== null;
}

/**
 * What a person may do with the import now. Only what would be accepted is offered: a start once the
 * mapping is complete, undo once the import wrote records, an update of the existing records once some
 * rows were skipped because their record already existed.
 */
export function offersFor(v: ImportView): Offer[] {
  const offers: Offer[] = [];
  const add = (kind: OfferKind, extra: Partial<Offer> = {}) =>
    offers.push({ kind, label: LABELS[kind], ...extra });
  const file = fileKept(v);
  switch (v.status) {
    case 'awaiting_mapping':
      if (readinessOf(v).ready && file) {
        add('start');
        add('dry_run');
      }
      if ((v.sheets?.length ?? 0) > 1 && file) add('choose_sheet', { choices: [...(v.sheets ?? [])] });
      add('change_type', { choices: RECORD_TYPES.filter((t) => t !== v.type) });
      add('change_columns');
      add('cancel', { confirm: `Cancel the import of ${v.fileName}? Nothing has been written yet.` });
      break;
    case 'queued':
    case 'running':
      add('cancel', {
        confirm:
          `Stop the import of ${v.fileName}? Rows already written stay` +
          (v.dryRun ? '' : ' (you can undo them afterwards)') +
          '.',
      });
      break;
    case 'completed':
      if (v.dryRun && file) add('run_for_real');
      break;
    case 'failed':
      if (file && !v.dryRun) add('retry');
      break;
    default:
      break;
  }
  if (canUndo(v)) {
    add('undo', {
      confirm:
        `Undo the import of ${v.fileName}? The records it created are deleted and the records it changed ` +
        'are put back as they were (unless they changed again since).',
    });
  }
  if (
    v.status === 'completed' &&
    !v.dryRun &&
    (v.counts.existing ?? 0) > 0 &&
    v.onDuplicate === 'skip' &&
    file
  )
    add('update_existing');
  if (v.counts.skipped + v.counts.flagged > 0 && (isTerminal(v.status) || v.status === 'rolling_back'))
    add('download_report');
  return offers;
}
