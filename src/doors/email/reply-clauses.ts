import type { Effect } from './reply-command';
import { companiesChoice, duplicateChoice, forgetChoice, sheetChoice, typeChoice } from './reply-choices';
import { readPair, readSkip } from './reply-corrections';
import { readCorrection, splitInstruction } from './reply-instruction';
import {
  duplicatesIn,
  isCancellation,
  isConfirmation,
  isDryRun,
  isFiller,
  isUndo,
  isRetry,
  plainWords,
} from './reply-phrases';
import { trimTrailing } from '../../protocols/mail/reply-text';
import type { ReplyVocabulary } from './reply-vocabulary';

/** One stretch of a line: something to do, a reason it cannot be done, politeness, or nothing known. */
export type Clause =
  | { kind: 'action'; effects: Effect[] }
  | { kind: 'problem'; message: string }
  | { kind: 'filler' }
  | { kind: 'unknown' };

/** A contact line of a signature ("Phone: +1 312 555 0100", "Web: www.example.com"). */
function isContactValue(text: string): boolean {
  return /^[+(\d][\d\s().\/-]{5,}$/.test(text) || /@|^https?:|^www\./i.test(text);
}

/** "could you please skip Notes?" → "skip Notes": a request's politeness around the instruction. */
const POLITE_LEAD = /^(?:(?:could|can|would|will) you (?:please )?|please |kindly |bitte |por favor )/i;

function readClause(raw: string, v: ReplyVocabulary): Clause {
  // Read first and whole, so a sheet named "a = b" or "Leads, 2024" stays one name.
  const sheet = sheetChoice(raw);
  if (sheet) return { kind: 'action', effects: [{ sheet }] };
  const text = trimTrailing(raw.trim().replace(POLITE_LEAD, ''), '?.! ');
  const w = plainWords(text);
  if (!w.length) return { kind: 'filler' };
  const type = typeChoice(text);
  if (type) return { kind: 'action', effects: [{ type }] };
  const forget = forgetChoice(text, v);
  if (forget) return { kind: 'action', effects: [{ forget }] };
  const link = companiesChoice(text);
  if (link !== null) return { kind: 'action', effects: [{ linkCompanies: link }] };
  const dup = duplicateChoice(text) ?? duplicatesIn(w);
  if (dup) return { kind: 'action', effects: [{ onDuplicate: dup }] };
  if (isDryRun(w)) return { kind: 'action', effects: [{ dryRun: true }] };
  if (isConfirmation(w)) return { kind: 'action', effects: [{ confirm: true }] };
  if (isCancellation(w)) return { kind: 'action', effects: [{ cancel: true }] };
  if (isUndo(w)) return { kind: 'action', effects: [{ undo: true }] };
  if (isRetry(w)) return { kind: 'action', effects: [{ retry: true }] };
  const parts = splitInstruction(text);
  if (parts) {
    const fix = readCorrection(v, parts[0], parts[1]);
    if (typeof fix !== 'string') return { kind: 'action', effects: [{ correction: fix }] };
    if (!v.header(parts[0]) && isContactValue(parts[1])) return { kind: 'filler' };
    return { kind: 'problem', message: fix };
  }
  const reading = readSkip(v, text) ?? readPair(v, text);
  if (reading && 'problem' in reading) return { kind: 'problem', message: reading.problem };
  if (reading) return { kind: 'action', effects: reading.corrections.map((c) => ({ correction: c })) };
  return isFiller(w) ? { kind: 'filler' } : { kind: 'unknown' };
}

/**
 * Where a line may be cut into clauses: sentence ends, commas, "but", "and" in the four languages. A run
 * of blanks or of sentence marks is entered only at its first character (the look-behinds), so a long
 * run that ends in nothing is read once rather than from each of its positions.
 */
const JOINERS = '(?:but|aber|mais|pero|and|und|et|y|then|dann|puis|luego|also|plus)';
export const CLAUSE_BREAK = new RegExp(
  `(?:(?<![.;!?])[.;!?]+(?:\\s+|$)|,\\s*|(?<!\\s)\\s+[-–—]\\s+)(?:${JOINERS}\\s+)?|(?<!\\s)\\s+${JOINERS}\\s+`,
  'giu',
);
const MAX_PIECES = 12;

/**
 * A line read as a whole, or else cut into clauses, joining neighbouring pieces back where that reads
 * better ("skip Notes and Tags" stays one clause; "Yes but skip Notes" is two).
 */
export function readLine(line: string, v: ReplyVocabulary): { text: string; clause: Clause }[] {
  const whole = readClause(line, v);
  if (whole.kind === 'action' || whole.kind === 'filler') return [{ text: line, clause: whole }];
  const pieces = readPieces(line, v);
  const clear = pieces.every((p) => p.clause.kind === 'action' || p.clause.kind === 'filler');
  return whole.kind === 'problem' && !clear ? [{ text: line, clause: whole }] : pieces;
}

function readPieces(line: string, v: ReplyVocabulary): { text: string; clause: Clause }[] {
  const bounds: [number, number][] = [];
  let from = 0;
  for (const m of line.matchAll(CLAUSE_BREAK)) {
    if (m.index > from) bounds.push([from, m.index]);
    from = m.index + m[0].length;
  }
  if (from < line.length) bounds.push([from, line.length]);
  if (bounds.length <= 1 || bounds.length > MAX_PIECES) return [{ text: line, clause: { kind: 'unknown' } }];
  const out: { text: string; clause: Clause }[] = [];
  for (let i = 0; i < bounds.length;) {
    let best: { j: number; clause: Clause } | null = null;
    for (let j = bounds.length - 1; j >= i && !best; j--) {
      const clause = readClause(line.slice(bounds[i]![0], bounds[j]![1]), v);
      if (clause.kind === 'action' || clause.kind === 'filler') best = { j, clause };
    }
    for (let j = bounds.length - 1; j >= i && !best; j--) {
      const clause = readClause(line.slice(bounds[i]![0], bounds[j]![1]), v);
      if (clause.kind === 'problem') best = { j, clause };
    }
    best ??= { j: i, clause: { kind: 'unknown' } };
    out.push({ text: line.slice(bounds[i]![0], bounds[best.j]![1]), clause: best.clause });
    i = best.j + 1;
  }
  return out;
}
