import { OFFER_KINDS, offerLabel, type Offer } from '../../engine/conversation/offers';
import type { ImportView } from '../../engine/imports/import-view';
import { offerElement } from './offer.blocks';
import { OFFER_ACTION } from './slack-ids';

const view = {
  id: 'imp_7',
  type: 'clients',
  sheet: 'Second',
  sheets: ['First', 'Second'],
} as unknown as ImportView;

describe('offers as Block Kit elements', () => {
  it('gives every kind of offer its own control', () => {
    expect(new Set(OFFER_KINDS.map((k) => OFFER_ACTION[k])).size).toBe(OFFER_KINDS.length);
  });

  it('names a button with the offer label and asks first with the offer question', () => {
    const offer: Offer = { kind: 'undo', label: offerLabel('undo'), confirm: 'Undo the import of x.csv?' };
    expect(offerElement(offer, view)).toMatchObject({
      type: 'button',
      action_id: OFFER_ACTION.undo,
      text: { text: 'Undo import' },
      value: 'imp_7',
      style: 'danger',
      confirm: { text: { type: 'plain_text', text: 'Undo the import of x.csv?' } },
    });
    const start = offerElement({ kind: 'start', label: offerLabel('start') }, view);
    expect(start).not.toHaveProperty('confirm');
  });

  it('offers the choices of sheet and type as selects, the current one chosen', () => {
    const sheet = offerElement({ kind: 'choose_sheet', label: '', choices: ['First', 'Second'] }, view);
    expect(sheet).toMatchObject({ type: 'static_select', initial_option: { value: '2' } });
    const type = offerElement({ kind: 'change_type', label: '', choices: ['leads', 'companies'] }, view);
    expect(type).toMatchObject({ type: 'static_select', initial_option: { value: 'clients' } });
    expect((type as { options: unknown[] }).options).toHaveLength(3);
    // Each column has its own select in the mapping.
    expect(offerElement({ kind: 'change_columns', label: '' }, view)).toBeNull();
  });
});
