import { CUSTOM_FROM_HEADER, MappingTarget, TargetChoice } from '../../core/custom-field';
import type { ImportView } from '../../engine/imports/import-view';
import { plainWords } from './reply-phrases';
import type { ReplyVocabulary } from './reply-vocabulary';

/**
 * One correction: a column to a field, to a custom field ("Birthday = keep") or to nothing, or "don't
 * import this field" whatever feeds it.
 */
export type Correction = { header: string; field: TargetChoice | null } | { unmapField: MappingTarget };

/** A correction read from a sentence, or why a sentence that looks like one cannot be applied. */
export type CorrectionReading = { corrections: Correction[] } | { problem: string };

// prettier-ignore
const SKIP_BEFORE = [
  'skip', 'ignore', "don't import", 'dont import', 'do not import', 'please skip', 'please ignore',
  "please don't import", 'drop', 'exclude', 'leave out', 'omit', 'remove', 'without', 'no import of',
  'ohne', 'ignoriere', 'überspringe', 'kein import von', 'ignorer', 'ne pas importer', "n'importe pas",
  'sans', 'omettre', 'ignorar', 'omitir', 'no importar', 'no importes', 'sin', 'quitar', 'saltar',
];
// prettier-ignore
const SKIP_AFTER = [
  'nicht importieren', 'bitte nicht importieren', 'weglassen', 'ignorieren', 'überspringen',
  'not needed', 'is not needed', 'can be skipped', 'should be skipped', 'not imported',
  'should not be imported', 'shouldn’t be imported', "shouldn't be imported", 'ne pas importer',
  'à ignorer', 'no importar', 'no se importa',
];
/** "map X to Y": a verb that may open a pair, and the words joining its two sides. */
// prettier-ignore
const PAIR_VERBS = [
  'please map', 'map', 'assign', 'put', 'use', 'set', 'take', 'make', 'ordne', 'nimm', 'verwende',
  'setze', 'utilise', 'utiliser', 'utilisez', 'mets', 'mettre', 'usa', 'usar', 'pon', 'poner',
  'asigna', 'mapea', 'mappe',
];
/** Joining words whose left side is usually the field ("Phone should be Mobile"). */
// prettier-ignore
const FIELD_FIRST = [
  'should be the', 'should be', 'should come from', 'comes from', 'from', 'is the', 'is', 'equals',
  'soll', 'ist', 'kommt aus', 'aus', 'est', 'vient de', 'es', 'viene de', 'debe ser',
];
/** Joining words whose left side is usually the column ("map Mobile to Phone"). */
// prettier-ignore
const COLUMN_FIRST = [
  'to', 'as', 'for', 'into', 'in', 'onto', 'goes to', 'goes into', 'nach', 'als', 'für', 'fuer', 'auf',
  'zu', 'pour', 'comme', 'dans', 'vers', 'en', 'para', 'como', 'a',
];
// prettier-ignore
const TARGET_LEAD = [
  'please', 'bitte', 'the column', 'the field', 'the', 'column', 'field', 'die spalte', 'spalte', 'das feld', 'feld',
  'la colonne', 'colonne', 'le champ', 'champ', 'la columna', 'columna', 'el campo', 'campo',
];
const TARGET_TAIL = [
  'please',
  'pls',
  'bitte',
  'svp',
  'por favor',
  'thanks',
  'merci',
  'danke',
  'gracias',
  'column',
  'columns',
  'field',
  'spalte',
  'feld',
  'colonne',
  'columna',
  'campo',
  'sein',
];
/**
 * Quote marks at either end of a text. The closing run may start only after a character that is no quote
 * mark, so a long run of quote marks inside the text is read once, not once from each of its positions.
 */
export const END_QUOTES = /^["'“”„«»‚‘’`]+|(?<!["'“”„«»‚‘’`])["'“”„«»‚‘’`]+$/g;
/** Between the names of a list of columns: `Notes, Tags`, `Notes & Tags`, `Notes and Tags`. */
export const TARGET_SEPARATOR = /,|&|\/|\band\b|\bund\b|\bet\b|\by\b/i;

/** Drops any of `leads` from the start, again and again ("please the column Notes" → "Notes"). */
function stripLead(text: string, leads: readonly string[]): string {
  for (let t = text.trim(), n = 0; ; n++) {
    const lc = t.toLowerCase();
    const lead = n < 5 ? leads.find((l) => lc.startsWith(`${l} `)) : undefined;
    if (!lead) return t;
    t = t.slice(lead.length + 1).trim();
  }
}

function stripTail(text: string, tails: readonly string[]): string {
  for (let t = text.trim(), n = 0; ; n++) {
    const lc = t.toLowerCase();
    const tail = n < 5 ? tails.find((x) => lc.endsWith(` ${x}`)) : undefined;
    if (!tail) return t;
    t = t.slice(0, -(tail.length + 1)).trim();
  }
}

/** `"the Mobile column"` → `Mobile`. */
export function cleanTarget(text: string): string {
  const t = text.trim().replace(END_QUOTES, '').trim();
  return stripTail(stripLead(t, TARGET_LEAD), TARGET_TAIL).replace(END_QUOTES, '').trim();
}

/** What `text` names to leave out: a column (by header) or a field. */
function skipTarget(v: ReplyVocabulary, text: string): Correction | null {
  const t = cleanTarget(text);
  const header = v.header(t);
  if (header) return { header, field: null };
  const field = v.field(t);
  return field && field !== CUSTOM_FROM_HEADER ? { unmapField: field } : null;
}

/** "skip Notes", "don't import Notes and Tags", "Notes weglassen", "sin Notas". */
export function readSkip(v: ReplyVocabulary, clause: string): CorrectionReading | null {
  const text = clause.replace(/[’‘]/g, "'").trim();
  const lc = text.toLowerCase();
  let target: string | null = null;
  for (const s of SKIP_BEFORE) if (lc.startsWith(`${s} `)) target ??= text.slice(s.length + 1);
  for (const s of SKIP_AFTER) if (lc.endsWith(` ${s}`)) target ??= text.slice(0, -(s.length + 1));
  if (target === null || !target.trim()) return null;
  const whole = skipTarget(v, target);
  if (whole) return { corrections: [whole] };
  // The separator takes no blanks (blanks on both sides of it would be rescanned from each blank of a
  // long run); the parts are trimmed instead.
  const parts = target
    .split(TARGET_SEPARATOR)
    .map((p) => p.trim())
    .filter((p) => p);
  const read = parts.map((p) => [p, skipTarget(v, p)] as const);
  const unknown = read.filter(([, c]) => !c).map(([p]) => `"${cleanTarget(p)}"`);
  if (unknown.length)
    return { problem: `${unknown.join(', ')}: neither a column of the file nor a field of ${v.type}.` };
  return { corrections: read.map(([, c]) => c!) };
}

/**
 * Two sides that name a field and a column. `fieldFirst` says which reading wins when both fit
 * (a header that is also a field's name).
 */
export function readPairSides(
  v: ReplyVocabulary,
  a: string,
  b: string,
  fieldFirst: boolean,
): Correction | null {
  const left = cleanTarget(a);
  const right = cleanTarget(b);
  const fieldThenColumn = () => {
    const field = v.field(left);
    const header = v.header(right);
    return field && header ? { header, field } : null;
  };
  const columnThenField = () => {
    const header = v.header(left);
    const field = v.field(right);
    return field && header ? { header, field } : null;
  };
  return fieldFirst ? (fieldThenColumn() ?? columnThenField()) : (columnThenField() ?? fieldThenColumn());
}

/** Every place `word` joins two sides of `text`, as [left, right]. */
function splits(text: string, word: string): [string, string][] {
  const lc = text.toLowerCase();
  const out: [string, string][] = [];
  const needle = ` ${word} `;
  for (let at = lc.indexOf(needle); at >= 0 && out.length < 20; at = lc.indexOf(needle, at + 1)) {
    out.push([text.slice(0, at), text.slice(at + needle.length)]);
  }
  return out;
}

/** "map Mobile to Phone", "phone should be the Mobile column", "use Mobile for phone", "Handy als Telefon". */
export function readPair(v: ReplyVocabulary, clause: string): CorrectionReading | null {
  const text = stripLead(clause.trim(), PAIR_VERBS);
  const withVerb = text !== clause.trim();
  for (const [words, fieldFirst] of [
    [FIELD_FIRST, true],
    [COLUMN_FIRST, false],
  ] as const) {
    for (const w of words) {
      for (const [a, b] of splits(text, w)) {
        const fix = readPairSides(v, a, b, fieldFirst && !withVerb);
        if (fix) return { corrections: [fix] };
      }
    }
  }
  if (!withVerb) return null;
  return {
    problem: `I could not read "${clause.slice(0, 120)}": name a column of the file and a field of ${v.type}, e.g. "map Mobile to Phone".`,
  };
}

/** The columns and fields a sentence names, whole words only (the first few). */
export function namesIn(v: ReplyVocabulary, clause: string): string[] {
  const words = plainWords(clause);
  const at = new Map<string, number[]>();
  words.forEach((w, i) => at.set(w, [...(at.get(w) ?? []), i]));
  const has = (n: readonly string[]) =>
    (at.get(n[0] ?? '') ?? []).some((i) => n.every((w, k) => words[i + k] === w));
  const out: string[] = [];
  for (const { name, words: n } of v.names) {
    if (out.length >= 5) break;
    if (has(n)) out.push(name);
  }
  return out;
}

const sameHeader = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The mapping changes a reply makes to one file. `Field = Column` moves the field: a column that held
 * it before and that the reply does not mention becomes unmapped, so one reply settles a conflict.
 */
export function changesFor(
  v: Pick<ImportView, 'columns'>,
  fixes: readonly Correction[],
): Record<string, string | null> {
  const byHeader: Record<string, string | null> = {};
  for (const fix of fixes) {
    if ('unmapField' in fix) {
      for (const c of v.columns) if (c.field === fix.unmapField) byHeader[c.header] = null;
    } else if (v.columns.some((c) => sameHeader(c.header, fix.header))) {
      byHeader[fix.header] = fix.field;
    }
  }
  const named = Object.keys(byHeader);
  for (const fix of fixes) {
    if ('unmapField' in fix || !fix.field || !v.columns.some((c) => sameHeader(c.header, fix.header)))
      continue;
    for (const c of v.columns) {
      if (c.field === fix.field && !named.some((h) => sameHeader(h, c.header))) byHeader[c.header] = null;
    }
  }
  return byHeader;
}
