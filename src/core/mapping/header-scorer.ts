import { FieldKey, fieldsOf } from '../field-catalog';
import { RecordType } from '../record-type';
import { normalizeHeader } from './header-normalize';
import { correctTypos } from './header-typos';
import {
  FIELD_CONTEXT,
  namesOf,
  NEVER_PHONE,
  PRIMARY_WORDS,
  qualifiersOf,
  STOP_WORDS,
  STRONG_PENALTY,
  WEAK_PENALTY,
} from './header-words';

/** How sure we are that a header names a field, 0..1. */
export interface FieldScore {
  readonly field: FieldKey;
  readonly score: number;
}

interface Alias {
  readonly field: FieldKey;
  readonly words: readonly string[];
}

interface TypeIndex {
  readonly order: ReadonlyMap<FieldKey, number>;
  readonly exact: ReadonlyMap<string, FieldScore[]>;
  readonly byWord: ReadonlyMap<string, Alias[]>;
  readonly vocab: ReadonlyMap<FieldKey, ReadonlySet<string>>;
  readonly qualifiers: ReadonlySet<string>;
}

/** Below this a column is left unmapped: a wrong guess costs the person more than an empty select. */
export const SUGGESTION_THRESHOLD = 0.6;

// Scores: an alias equal to the whole header beats a header that merely contains one; a typo costs more.
// The field's own name ("Phone") is the primary column among several ("Mobile Phone"); 1 is for learned.
const EXACT_LABEL = 0.99;
const EXACT_ONE_WORD = 0.95;
const EXACT_MORE_WORDS = 0.97;
const CONTAINS = 0.9;
const TAIL_BONUS = 0.03;
const PRIMARY_BONUS = 0.08;
const FUZZY_FACTOR = 0.85;

/** Fields whose words ("name", "address", "label") are as often about something else. */
const GENERIC_FIELDS: ReadonlySet<FieldKey> = new Set(['fullName', 'name', 'address', 'tags']);

const indexes = new Map<RecordType, TypeIndex>();

/** Every field of the type the header may name, best first (ties in catalog order). */
export function scoreHeader(type: RecordType, header: string): FieldScore[] {
  const index = indexOf(type);
  const normalized = splitCompounds(normalizeHeader(header));
  if (normalized === '') return [];
  const best = new Map<FieldKey, number>();
  collect(best, index, normalized, 1);
  const corrected = correctTypos(normalized);
  if (corrected !== normalized) collect(best, index, corrected, FUZZY_FACTOR);
  const words = normalized.split(' ');
  if (words.some((w) => NEVER_PHONE.has(w))) best.delete('phone');
  return [...best]
    .map(([field, score]) => ({ field, score: Math.min(1, Math.round(score * 100) / 100) }))
    .sort((a, b) => b.score - a.score || (index.order.get(a.field) ?? 0) - (index.order.get(b.field) ?? 0));
}

function collect(best: Map<FieldKey, number>, index: TypeIndex, normalized: string, factor: number): void {
  const keep = (field: FieldKey, score: number): void => {
    if (score * factor > (best.get(field) ?? 0)) best.set(field, score * factor);
  };
  for (const s of index.exact.get(normalized) ?? []) keep(s.field, s.score);
  for (const s of index.exact.get(squash(normalized)) ?? []) keep(s.field, s.score - 0.01);
  const words = contentWords(normalized);
  const seen = new Set<Alias>();
  for (const w of new Set(words)) {
    for (const alias of index.byWord.get(w) ?? []) {
      if (seen.has(alias)) continue;
      seen.add(alias);
      const score = containScore(index, words, alias);
      if (score !== null) keep(alias.field, score);
    }
  }
}

/** The header holds every word of the alias; each other word costs by what it suggests. */
function containScore(index: TypeIndex, words: readonly string[], alias: Alias): number | null {
  const left = [...words];
  for (const w of alias.words) {
    const at = left.indexOf(w);
    if (at < 0) return null;
    left.splice(at, 1);
  }
  const own = index.vocab.get(alias.field);
  // A one-word alias that is also a qualifier ("business") says nothing beside other words ("Business Fax").
  const free = (w: string): boolean => index.qualifiers.has(w) || own?.has(w) === true;
  const qualifierOnly = alias.words.length === 1 && index.qualifiers.has(alias.words[0] ?? '');
  // Nor beside another field's words: "Business Postal Code" is a postal code, not a business.
  if (qualifierOnly && !left.every((w) => free(w) && !hasOtherField(index, alias.field, w))) return null;
  const last = [...words].reverse().find((w) => !index.qualifiers.has(w));
  let score = CONTAINS;
  for (const w of left) score -= cost(index, alias.field, w, w === last);
  if (last !== undefined && (alias.words.includes(last) || own?.has(last))) score += TAIL_BONUS;
  if (words.some((w) => PRIMARY_WORDS.has(w))) score += PRIMARY_BONUS;
  return score;
}

/** What a word left over beside the alias costs: nothing for qualifiers, most for metadata and other fields. */
function cost(index: TypeIndex, field: FieldKey, w: string, isLast: boolean): number {
  if (index.qualifiers.has(w) || index.vocab.get(field)?.has(w)) return 0;
  if (STRONG_PENALTY.has(w)) return 0.4;
  if (WEAK_PENALTY.has(w) || /^\d+$/.test(w)) return 0.2;
  if (!hasOtherField(index, field, w)) return 0.15;
  // The last word names the thing ("Organization 1 - Title" is a title); beside a generic field another
  // field's word says whose it is ("Organization Name", "E-mail Address", "Phone 1 - Label").
  return isLast || GENERIC_FIELDS.has(field) ? 0.4 : 0.3;
}

function hasOtherField(index: TypeIndex, field: FieldKey, w: string): boolean {
  for (const [key, words] of index.vocab) if (key !== field && words.has(w)) return true;
  return false;
}

function contentWords(normalized: string): string[] {
  return normalized.split(' ').filter((w) => !STOP_WORDS.has(w));
}

/** "l name" must not shrink to "name": stop words only go from longer aliases ("nom de famille"). */
function aliasWords(normalized: string): string[] {
  const words = normalized.split(' ');
  return words.length > 2 ? contentWords(normalized) : words;
}

/** German compounds with "Haupt-" (main): "Haupttelefon" reads "haupt telefon", the main phone. */
function splitCompounds(normalized: string): string {
  return normalized.replace(/\bhaupt(?=\p{L}{3})/gu, 'haupt ');
}

function squash(normalized: string): string {
  return normalized.replace(/ /g, '');
}

function indexOf(type: RecordType): TypeIndex {
  let index = indexes.get(type);
  if (!index) {
    index = buildIndex(type);
    indexes.set(type, index);
  }
  return index;
}

function buildIndex(type: RecordType): TypeIndex {
  const fields = fieldsOf(type);
  const exact = new Map<string, FieldScore[]>();
  const byWord = new Map<string, Alias[]>();
  const vocab = new Map<FieldKey, Set<string>>();
  for (const def of fields) {
    const own = new Set<string>(FIELD_CONTEXT[def.key] ?? []);
    vocab.set(def.key, own);
    const canonical = new Set([normalizeHeader(def.label), normalizeHeader(def.key)]);
    for (const name of namesOf(def)) {
      const normalized = normalizeHeader(name);
      const words = aliasWords(normalized);
      if (words.length === 0) continue;
      const score = exactScore(canonical.has(normalized), words);
      addExact(exact, normalized, { field: def.key, score });
      addExact(exact, squash(normalized), { field: def.key, score });
      const alias: Alias = { field: def.key, words };
      for (const w of new Set(words)) {
        own.add(w);
        byWord.set(w, [...(byWord.get(w) ?? []), alias]);
      }
    }
  }
  const order = new Map(fields.map((f, i) => [f.key, i] as const));
  return { order, exact, byWord, vocab, qualifiers: qualifiersOf(type) };
}

function exactScore(canonical: boolean, words: readonly string[]): number {
  if (canonical) return EXACT_LABEL;
  return words.length > 1 ? EXACT_MORE_WORDS : EXACT_ONE_WORD;
}

function addExact(exact: Map<string, FieldScore[]>, key: string, s: FieldScore): void {
  const list = exact.get(key) ?? [];
  const same = list.find((x) => x.field === s.field);
  if (!same) exact.set(key, [...list, s]);
  else if (same.score < s.score) exact.set(key, [...list.filter((x) => x !== same), s]);
}
