import type { OfferKind } from '../../engine/conversation/offers';

/** Action ids of every interactive element; the import id rides in the block id or the button value. */
export const ACTION = {
  type: 'intake_type',
  sheet: 'intake_sheet',
  column: 'intake_column',
  duplicates: 'intake_duplicates',
  linkCompanies: 'intake_link_companies',
  start: 'intake_start',
  dryRun: 'intake_dry_run',
  cancel: 'intake_cancel',
  template: 'intake_template',
  runForReal: 'intake_run_for_real',
  retry: 'intake_retry',
  /** The summary's Undo: asks in Slack's own dialog, then undoes. */
  undo: 'intake_undo',
  /** The Undo of summaries posted before the dialog: asks with an ephemeral question instead. */
  undoAsk: 'intake_undo_ask',
  report: 'intake_report',
  updateExisting: 'intake_update_existing',
  showEmpty: 'intake_show_empty',
  undoConfirm: 'intake_undo_confirm',
  undoKeep: 'intake_undo_keep',
} as const;

export type ActionId = (typeof ACTION)[keyof typeof ACTION];

/** The element that renders each offer of the conversation, so a message's offers can be read back. */
export const OFFER_ACTION: Record<OfferKind, ActionId> = {
  start: ACTION.start,
  dry_run: ACTION.dryRun,
  run_for_real: ACTION.runForReal,
  choose_sheet: ACTION.sheet,
  change_type: ACTION.type,
  change_columns: ACTION.column,
  cancel: ACTION.cancel,
  retry: ACTION.retry,
  undo: ACTION.undo,
  update_existing: ACTION.updateExisting,
  download_report: ACTION.report,
};

/** The option value of "Don't import". */
export const NO_FIELD = '__none__';
/** The option value that makes the workspace forget what it learned for a column's header. */
export const FORGET_LEARNED = '__forget__';

/** Block ids carry what an action needs, so a click is handled without looking the message up. */
export function columnBlockId(importId: string, index: number): string {
  return `col|${importId}|${index}`;
}

export function importBlockId(
  kind: 'type' | 'sheet' | 'controls' | 'progress' | 'summary' | 'next' | 'empty',
  importId: string,
): string {
  return `${kind}|${importId}`;
}

export function parseBlockId(blockId: string): { kind: string; importId: string; index?: number } | null {
  const [kind, importId, index] = blockId.split('|');
  if (!kind || !importId) return null;
  const n = index === undefined ? undefined : Number(index);
  if (n !== undefined && !Number.isInteger(n)) return null;
  return { kind, importId, ...(n !== undefined ? { index: n } : {}) };
}
