import { FieldKey } from '../field-catalog';
import { normalizeHeader } from './header-normalize';

/**
 * Address books export one group of columns per place: "Business Street … Business Country",
 * "Home Street …", "Other Street …". A record takes its whole address from one group.
 */
export type Block = 'business' | 'home' | 'other' | 'none';

/** The fields that make up an address, taken together from one block. */
export const ADDRESS_FIELDS: ReadonlySet<FieldKey> = new Set([
  'address',
  'city',
  'state',
  'postalCode',
  'country',
]);

/** Fields where a business column is preferred over a private one, but each is chosen on its own. */
export const CONTACT_FIELDS: ReadonlySet<FieldKey> = new Set(['phone', 'email', 'website']);

/** English, German, French, Spanish, Italian, Portuguese and Dutch words for each block (accents removed). */
const BLOCK_WORDS: Record<Exclude<Block, 'none'>, ReadonlySet<string>> = {
  business: new Set(
    `business work office geschaftlich geschaftl dienstlich buro bureau travail professionnel professionnelle
      trabajo oficina laboral lavoro ufficio trabalho comercial werk zakelijk kantoor`.split(/\s+/),
  ),
  home: new Set(
    `home private personal privat prive privee domicile personnel personnelle casa particular privado
      domicilio residencial residenza residencia thuis`.split(/\s+/),
  ),
  other: new Set(
    `other weitere weiterer weiteres andere anderer autre otro otra altro altra outro outra overig overige
      ander`.split(/\s+/),
  ),
};

/** "Business", "privat", "(domicile)": which of several addresses, not what a column holds. */
export const PLACE_WORDS: readonly string[] = [...BLOCK_WORDS.business, ...BLOCK_WORDS.home];

/**
 * For a CRM contact the business block is the one to take; columns that name no block come next (a
 * plain "City" is the address a sheet means), then home as the fallback, then other.
 */
const PREFERENCE: readonly Block[] = ['business', 'none', 'home', 'other'];

/** A small nudge that makes "Business Phone" win over "Home Phone" without beating "Primary Phone". */
export const BLOCK_BONUS = 0.02;

export function blockOf(header: string): Block {
  const words = normalizeHeader(header).split(' ');
  for (const block of ['business', 'home', 'other'] as const) {
    if (words.some((w) => BLOCK_WORDS[block].has(w))) return block;
  }
  return 'none';
}

/** The block to take the address from: the most preferred one that has any address column. */
export function addressBlock(blocks: readonly Block[], hasAddressField: readonly boolean[]): Block | null {
  return PREFERENCE.find((b) => blocks.some((x, i) => x === b && hasAddressField[i])) ?? null;
}

export function blockBonus(block: Block): number {
  if (block === 'business') return BLOCK_BONUS;
  return block === 'none' ? 0 : -BLOCK_BONUS;
}
