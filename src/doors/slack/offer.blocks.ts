import type { types } from '@slack/bolt';
import { RECORD_TYPES, RecordType } from '../../core/record-type';
import type { Offer, OfferKind } from '../../engine/conversation/offers';
import type { ImportView } from '../../engine/imports/import-view';
import { LIMITS, button, clip, option, plain, staticSelect } from '../../protocols/slack/block-kit';
import { OFFER_ACTION } from './slack-ids';

export const TYPE_LABEL: Record<RecordType, string> = {
  clients: 'Clients',
  leads: 'Leads',
  companies: 'Companies',
};

/** The offers that move an import forward stand out; those that destroy are red (and ask first). */
const STYLE: Partial<Record<OfferKind, 'primary' | 'danger'>> = {
  start: 'primary',
  run_for_real: 'primary',
  cancel: 'danger',
  undo: 'danger',
};

type OfferElement = types.Button | types.StaticSelect;

/**
 * One offer of the conversation as a Block Kit element: a button named with the offer's label, or a
 * select for a choice (sheet, type). A destructive offer carries Slack's confirmation dialog with the
 * offer's question. The columns are chosen in each column's own select, so `change_columns` has none.
 */
export function offerElement(offer: Offer, view: ImportView): OfferElement | null {
  const action_id = OFFER_ACTION[offer.kind];
  switch (offer.kind) {
    case 'change_columns':
      return null;
    case 'change_type': {
      const types = RECORD_TYPES.filter((t) => t === view.type || (offer.choices ?? []).includes(t));
      const options = types.map((t) => option(TYPE_LABEL[t], t));
      return staticSelect(
        action_id,
        offer.label,
        options,
        options.find((o) => o.value === view.type),
      );
    }
    case 'choose_sheet': {
      // Values are sheet numbers (names may be long or repeat after cutting); the first 100 sheets.
      const sheets = (offer.choices ?? []).slice(0, LIMITS.optionsPerSelect);
      const options = sheets.map((s, i) => option(clip(s, LIMITS.optionText), String(i + 1)));
      const current = view.sheet ? sheets.indexOf(view.sheet) : -1;
      return staticSelect(action_id, offer.label, options, current >= 0 ? options[current] : undefined);
    }
    default: {
      return {
        ...button(action_id, offer.label, view.id, STYLE[offer.kind]),
        ...(offer.confirm ? { confirm: confirmDialog(offer) } : {}),
      };
    }
  }
}

/** Slack's dialog before a destructive click: the offer's question, and a way back. */
function confirmDialog(offer: Offer): types.ConfirmationDialog {
  return {
    title: plain(clip(`${offer.label}?`, 100), 100),
    text: { type: 'plain_text', text: clip(offer.confirm ?? '', 300) },
    confirm: plain(offer.kind === 'undo' ? 'Yes, undo it' : 'Yes, cancel it', 30),
    deny: plain('Keep it', 30),
    style: 'danger',
  };
}

/** The offers of `kinds` the import has now, as elements, in the model's order. */
export function offerElements(view: ImportView, kinds: readonly OfferKind[]): OfferElement[] {
  return view.actions
    .filter((o) => kinds.includes(o.kind))
    .map((o) => offerElement(o, view))
    .filter((e): e is OfferElement => e !== null);
}

/** Whether the import offers `kind` now. */
export function offers(view: ImportView, kind: OfferKind): boolean {
  return view.actions.some((o) => o.kind === kind);
}
