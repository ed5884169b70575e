import { OFFER_KINDS, type OfferKind } from '../../src/engine/conversation/offers';

/** Offer kinds in the conversation model's own order, whatever order they were read back in. */
export function inOrderOfModel(kinds: Iterable<string>): OfferKind[] {
  const set = new Set(kinds);
  return OFFER_KINDS.filter((k) => set.has(k));
}
