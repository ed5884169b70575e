import { FieldKey, fieldDef } from './field-catalog';
import { normalizeHeader } from './mapping/header-normalize';

/**
 * Custom fields: a column no catalog field fits, kept on the record as a string under `custom.<key>`.
 * Keys come from headers, which are hostile: a key is letters and digits only (never `.`, `$` or an
 * object's own property names), bounded, and unique within a file.
 */
export type CustomTarget = `custom.${string}`;
/** What a column can be mapped to: a catalog field or a custom field. */
export type MappingTarget = FieldKey | CustomTarget;

export const CUSTOM_PREFIX = 'custom.';
export const MAX_CUSTOM_KEY_LENGTH = 40;
/** A person's "keep it as a custom field" without a name: the key comes from the column's header. */
export const CUSTOM_FROM_HEADER = 'custom';
/** What a person can choose for a column before the key is settled. */
export type TargetChoice = MappingTarget | typeof CUSTOM_FROM_HEADER;

/** Custom fields one file may keep, and one workspace may have per type. */
export const MAX_CUSTOM_PER_FILE = 50;
export const MAX_CUSTOM_PER_TYPE = 200;
/** Longest custom value stored; a longer one is clipped and its row flagged. */
export const MAX_CUSTOM_VALUE_CHARS = 2048;

/** Names that mean something to a JavaScript object; a key never takes them as they are. */
const RESERVED = new Set([
  'constructor',
  'prototype',
  'proto',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
]);

const SAFE_KEY = /^[\p{Ll}\p{Lo}][\p{L}\p{N}]*$/u;

export function isCustomTarget(target: string | null | undefined): target is CustomTarget {
  return typeof target === 'string' && target.startsWith(CUSTOM_PREFIX);
}

export function customKeyOf(target: CustomTarget): string {
  return target.slice(CUSTOM_PREFIX.length);
}

export function customTarget(key: string): CustomTarget {
  return `${CUSTOM_PREFIX}${key}`;
}

/** A key is safe to store as a Mongo field name and to use on a plain object. */
export function isSafeCustomKey(key: string): boolean {
  return key.length <= MAX_CUSTOM_KEY_LENGTH && SAFE_KEY.test(key) && !RESERVED.has(key);
}

/**
 * The key a name (a header, or the name a person gave) makes: its words in camelCase, letters and
 * digits only ("Date of Birth" → "dateOfBirth"). A name with no letters or digits gives `fallback`.
 */
export function customKeyFor(name: string, fallback = 'field'): string {
  const words = normalizeHeader(name.slice(0, 500))
    .split(' ')
    .filter((w) => w !== '');
  let key = words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('');
  if (key === '') key = fallback;
  // A key starts with a lower-case letter: "2nd Phone" → "field2NdPhone".
  if (!/^[\p{Ll}\p{Lo}]/u.test(key)) key = `field${key.charAt(0).toUpperCase()}${key.slice(1)}`;
  key = key.slice(0, MAX_CUSTOM_KEY_LENGTH);
  if (RESERVED.has(key)) key = `${key}Field`;
  // Letters no rule above foresaw (a case change that lengthens a word, say) never make an unsafe key.
  return isSafeCustomKey(key) ? key : isSafeCustomKey(fallback) ? fallback : 'field';
}

/** `base`, or `base2`, `base3`… the first not taken; stays within the length bound. */
export function uniqueCustomKey(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = String(n);
    const key = `${base.slice(0, MAX_CUSTOM_KEY_LENGTH - suffix.length)}${suffix}`;
    if (!taken.has(key)) return key;
  }
}

/** How a person reads a mapping target: the field's label, or "Custom: birthday". */
export function targetLabel(target: MappingTarget): string {
  return isCustomTarget(target) ? `Custom: ${customKeyOf(target)}` : fieldDef(target).label;
}
