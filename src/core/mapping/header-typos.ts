import levenshtein from 'damerau-levenshtein';
import { FIELD_CATALOG } from '../field-catalog';
import { normalizeHeader } from './header-normalize';
import {
  FIELD_CONTEXT,
  namesOf,
  qualifiersOf,
  STOP_WORDS,
  STRONG_PENALTY,
  WEAK_PENALTY,
} from './header-words';

/**
 * Typos in headers ("Emial", "Frist Name", "Adress"): each unknown word of four letters or more is
 * replaced by the nearest known word within one edit (two for words of eight letters or more).
 */
export function correctTypos(normalized: string): string {
  return normalized
    .split(' ')
    .map((w) => correctWord(w))
    .join(' ');
}

interface KnownWord {
  readonly word: string;
  readonly letters: Uint8Array;
}

const MIN_LENGTH = 4;
const MAX_CACHED = 10_000;
const corrections = new Map<string, string>();
let known: {
  readonly words: ReadonlySet<string>;
  readonly byLength: ReadonlyMap<number, KnownWord[]>;
} | null = null;

function correctWord(word: string): string {
  const vocabulary = knownVocabulary();
  if (word.length < MIN_LENGTH || vocabulary.words.has(word) || /\d/.test(word)) return word;
  const cached = corrections.get(word);
  if (cached !== undefined) return cached;
  const fixed = nearestKnown(word, vocabulary.byLength);
  if (corrections.size >= MAX_CACHED) corrections.clear();
  corrections.set(word, fixed);
  return fixed;
}

function nearestKnown(word: string, byLength: ReadonlyMap<number, KnownWord[]>): string {
  const maxSteps = word.length >= 8 ? 2 : 1;
  const letters = letterCounts(word);
  let best = word;
  let bestSteps = maxSteps + 1;
  for (let length = word.length - maxSteps; length <= word.length + maxSteps; length++) {
    for (const k of byLength.get(length) ?? []) {
      // Each edit changes the letter counts by at most two: a cheap bound that skips most words.
      if (letterDistance(letters, k.letters) > 2 * maxSteps) continue;
      const { steps } = levenshtein(word, k.word);
      if (steps < bestSteps) {
        best = k.word;
        bestSteps = steps;
      }
    }
  }
  return best;
}

function letterCounts(word: string): Uint8Array {
  const counts = new Uint8Array(32);
  for (let i = 0; i < word.length; i++) {
    const bucket = word.charCodeAt(i) & 31;
    counts[bucket] = (counts[bucket] ?? 0) + 1;
  }
  return counts;
}

function letterDistance(a: Uint8Array, b: Uint8Array): number {
  let d = 0;
  for (let i = 0; i < 32; i++) d += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return d;
}

/** Words of every alias of every type, and the qualifier and penalty words, so they are never "corrected". */
function knownVocabulary(): NonNullable<typeof known> {
  if (known) return known;
  const words = new Set<string>([...STOP_WORDS, ...STRONG_PENALTY, ...WEAK_PENALTY]);
  for (const t of ['clients', 'leads', 'companies'] as const) for (const q of qualifiersOf(t)) words.add(q);
  for (const def of FIELD_CATALOG) {
    for (const name of namesOf(def)) for (const w of normalizeHeader(name).split(' ')) words.add(w);
    for (const w of FIELD_CONTEXT[def.key] ?? []) words.add(w);
  }
  const byLength = new Map<number, KnownWord[]>();
  for (const word of words) {
    if (word.length < MIN_LENGTH) continue;
    byLength.set(word.length, [...(byLength.get(word.length) ?? []), { word, letters: letterCounts(word) }]);
  }
  known = { words, byLength };
  return known;
}
