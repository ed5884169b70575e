import { OFFER_KINDS, type OfferKind } from '../../src/engine/conversation/offers';

/** What an email door's mail asks the person to reply (or attaches) for each offer of the conversation. */
const EMAIL_SAYS: Record<OfferKind, RegExp | 'attachment'> = {
  start: /To import with this mapping, reply "yes"/,
  dry_run: /"dry run"/,
  run_for_real: /for real, reply "yes"/,
  choose_sheet: /reply "Sheet = /,
  change_type: /reply "Type = /,
  change_columns: /Field = Column/,
  cancel: /reply "cancel"/,
  retry: /reply "retry"/,
  undo: /reply "undo"/,
  update_existing: /reply "duplicates: update"/,
  download_report: 'attachment',
};

/** The offers a mail's text (and whether it carries the report) makes, in the model's order. */
export function emailOffersIn(text: string, reportAttached: boolean): OfferKind[] {
  return OFFER_KINDS.filter((k) => {
    const says = EMAIL_SAYS[k];
    return says === 'attachment' ? reportAttached : says.test(text);
  });
}
