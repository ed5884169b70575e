// The conversation's offers as the page shows them: a button each, a select where there is a choice,
// and a confirmation, in the offer's own words, before anything destructive.
import { byId, el } from './dom.js';
import type { ImportView, Offer, OfferKind } from './types.js';

export type OnOffer = (offer: Offer, choice?: string) => void;

/** Offers shown as a select of their `choices` (with what is chosen now first). */
const CHOICES = new Set<OfferKind>(['choose_sheet', 'change_type']);
/** The step the person most likely wants next. */
const PRIMARY = new Set<OfferKind>(['start', 'run_for_real', 'retry']);

/** The control of one offer; `scope` keeps element ids apart where two screens show offers. */
export function offerControl(view: ImportView, offer: Offer, onOffer: OnOffer, scope: string): HTMLElement {
  if (CHOICES.has(offer.kind)) {
    const id = `${scope}-${offer.kind}`;
    const now = offer.kind === 'change_type' ? view.type : (view.sheet ?? '');
    const options = offer.kind === 'change_type' ? [now, ...(offer.choices ?? [])] : (offer.choices ?? []);
    const select = el('select', { id, 'data-offer': offer.kind });
    for (const c of options) select.append(el('option', { value: c, selected: c === now }, c));
    select.addEventListener('change', () => {
      if (select.value !== now) onOffer(offer, select.value);
    });
    return el('span', { class: 'choice' }, el('label', { for: id }, offer.label), ' ', select);
  }
  const button = el(
    'button',
    {
      type: 'button',
      'data-offer': offer.kind,
      class: offer.confirm ? 'danger' : PRIMARY.has(offer.kind) ? 'primary' : undefined,
    },
    offer.label,
  );
  button.addEventListener('click', () => onOffer(offer));
  return button;
}

/**
 * Shows the view's offers of `kinds` in `box`. The same offers are left as they are, so a button the
 * person is about to press is not replaced under the pointer while progress is polled.
 */
export function renderOffers(
  box: HTMLElement,
  view: ImportView,
  kinds: ReadonlySet<OfferKind> | 'all',
  onOffer: OnOffer,
  scope: string,
): void {
  const shown = view.actions.filter((o) => kinds === 'all' || kinds.has(o.kind));
  const key = JSON.stringify([view.id, view.type, view.sheet ?? null, shown]);
  if (box.dataset.offers === key) return;
  box.dataset.offers = key;
  box.replaceChildren(...shown.map((o) => offerControl(view, o, onOffer, scope)));
}

export function clearOffers(box: HTMLElement): void {
  delete box.dataset.offers;
  box.replaceChildren();
}

/** Asks in a modal dialog with the offer's own words; resolves true only when the person confirms. */
export function confirmOffer(offer: Offer): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>('confirm');
  byId('confirm-title').textContent = `${offer.label}?`;
  byId('confirm-text').textContent = offer.confirm ?? '';
  byId('confirm-yes').textContent = offer.label;
  dialog.showModal();
  byId('confirm-no').focus();
  return new Promise((resolve) => {
    const done = (answer: boolean) => {
      byId('confirm-yes').removeEventListener('click', yes);
      byId('confirm-no').removeEventListener('click', no);
      dialog.removeEventListener('cancel', no);
      dialog.close();
      resolve(answer);
    };
    const yes = () => done(true);
    const no = () => done(false);
    byId('confirm-yes').addEventListener('click', yes);
    byId('confirm-no').addEventListener('click', no);
    dialog.addEventListener('cancel', no);
  });
}
