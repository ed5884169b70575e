import type { OfferKind } from '../../engine/conversation/offers';
import type { ImportView } from '../../engine/imports/import-view';

const quoteList = (items: readonly string[]) => items.map((i) => `"${i}"`).join(', ');

/**
 * Every offer of the conversation as the email door takes it: the reply that does it. The compiler holds
 * that none is missing; the report is the attachment, so it needs no reply.
 */
const REPLIES: Record<OfferKind, (v: ImportView) => string | null> = {
  start: () => 'To import with this mapping, reply "yes".',
  dry_run: () => 'To check every row first and write nothing, reply "dry run".',
  run_for_real: () => 'To import these rows for real, reply "yes".',
  choose_sheet: (v) => {
    const others = (v.sheets ?? []).filter((s) => s !== v.sheet).slice(0, 10);
    return `To read another sheet (${quoteList(others)}), reply "Sheet = ${others[0] ?? 'Name'}".`;
  },
  change_type: (v) => {
    const others = v.actions.find((o) => o.kind === 'change_type')?.choices ?? [];
    return `To import the rows as ${others.join(' or ')} instead of ${v.type}, reply "Type = ${others[0] ?? 'leads'}".`;
  },
  change_columns: () => 'To correct a column, reply with one change per line, as Field = Column.',
  cancel: (v) =>
    v.status === 'awaiting_mapping'
      ? 'To cancel, reply "cancel".'
      : 'To stop the import, reply "cancel" (rows already written stay, and can be undone afterwards).',
  retry: () => 'To resume the import after its last written row, reply "retry".',
  undo: (v) => {
    const c = v.counts;
    const what = [
      c.imported ? `delete the ${c.imported} records it created` : '',
      c.updated ? `restore the ${c.updated} it changed` : '',
    ].filter(Boolean);
    return `To undo this import${what.length ? ` (${what.join(' and ')})` : ''}, reply "undo".`;
  },
  update_existing: (v) => {
    const n = v.counts.existing ?? 0;
    return (
      `${n} ${n === 1 ? 'row was' : 'rows were'} skipped because ` +
      `${n === 1 ? 'its record already exists' : 'their records already exist'}. ` +
      'To update them with the values of this file, reply "duplicates: update".'
    );
  },
  download_report: () => null,
};

/**
 * The answer saying an import started is exactly the start sentence; it can be answered all the same.
 * The proposal says so, for the one offer a started import keeps (cancel).
 */
export const AFTER_START =
  'Once it has started, you can still stop it: reply "cancel" to the answer that says it started.';

/** The replies that take the import's offers now, in the model's order. */
export function replyOffers(v: ImportView, only?: readonly OfferKind[]): string[] {
  return v.actions
    .filter((o) => !only || only.includes(o.kind))
    .flatMap((o) => {
      const line = REPLIES[o.kind](v);
      return line ? [line] : [];
    });
}

/** An offer the email door takes by reply now (the report is attached, never asked for). */
export function repliable(v: ImportView): boolean {
  return v.actions.some((o) => o.kind !== 'download_report');
}
