import { CUSTOM_FROM_HEADER, TargetChoice } from '../../core/custom-field';
import type { RecordType } from '../../core/record-type';
import { fieldsOf } from '../../core/field-catalog';
import { resolveField } from '../../engine/imports/mapping-change';
import { cleanTarget, Correction, namesIn, readPair, readSkip, ReplyVocabulary } from './reply-corrections';
import {
  duplicatesIn,
  endsInstructions,
  isCancellation,
  isConfirmation,
  isDryRun,
  isFiller,
  isUndo,
  isRetry,
  plainWords,
} from './reply-phrases';
import { boundedReplyText } from '../../protocols/mail/reply-text';

export type { Correction } from './reply-corrections';

/** How one line of a reply was read, for the line-by-line part of an answer. */
export interface ReplyLine {
  text: string;
  status: 'understood' | 'not_understood' | 'ignored';
  /** What the line said (understood) or why it could not be used (not understood). */
  notes: string[];
}

export type OnDuplicateChoice = 'skip' | 'update' | 'fill';

export interface ReplyCommand {
  confirm: boolean;
  cancel: boolean;
  dryRun: boolean;
  /** Delete what a finished import created (a reply to its summary). */
  undo: boolean;
  /** Resume a failed import after its last committed row (a reply to its summary). */
  retry: boolean;
  onDuplicate?: OnDuplicateChoice;
  /** `companies: no` turns off linking clients and leads to companies. */
  linkCompanies?: boolean;
  /** A workbook's sheet to read instead ("Sheet = Clients"). */
  sheet?: string;
  /** The type of records to import instead ("Type = companies"). */
  type?: RecordType;
  corrections: Correction[];
  /** Headers whose learned mapping the workspace should forget ("Forget Email"). */
  forget?: string[];
  /** Human lines for the "what I understood" part of an answer. */
  understood: string[];
  /** Lines that looked like instructions but could not be applied; any of them means no import. */
  problems: string[];
  /** Every line read, in order, with what became of it. */
  lines: ReplyLine[];
}

const SKIP = new Set([
  'skip',
  'ignore',
  'none',
  'nothing',
  'null',
  '-',
  "don't import",
  'dont import',
  'do not import',
  'not imported',
]);
/** Longest first, so `->` and `=>` are read as one separator. */
const SEPARATORS = ['->', '=>', '→', '=', ':'];
const DUPLICATE_CHOICES = new Set(['update', 'overwrite', 'merge', 'fill', 'skip', 'keep']);

const DUPLICATE_SAID: Record<OnDuplicateChoice, string> = {
  skip: 'skip them',
  update: 'update existing records',
  fill: 'fill only the empty fields of existing records',
};

/** "- Phone = Mobile", "1. yes" → the instruction without list markers or trailing punctuation. */
function cleanLine(raw: string): string {
  return trimTrailing(raw.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, ''), '.!;, \t').trim();
}

/** Drops trailing characters found in `chars`; a scan from the end, never a backtracking regex. */
export function trimTrailing(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1]!)) end--;
  return text.slice(0, end);
}

/**
 * "Field = Column" → both sides, when the line holds exactly one separator (`->`, `=>`, `→`, `=` or
 * `:`). A single left-to-right scan: the line is outside input.
 */
export function splitInstruction(line: string): [string, string] | null {
  const found: { at: number; len: number }[] = [];
  for (let i = 0; i < line.length;) {
    const sep = SEPARATORS.find((s) => line.startsWith(s, i));
    if (sep) {
      found.push({ at: i, len: sep.length });
      i += sep.length;
    } else i++;
  }
  if (found.length !== 1) return null;
  const { at, len } = found[0]!;
  const left = line.slice(0, at).trim();
  const right = line.slice(at + len).trim();
  return left && right ? [left, right] : null;
}

/** "Sheet = Clients", "sheet: 2" → the sheet named; read before corrections, so a sheet named "a = b" stays whole. */
export function sheetChoice(line: string): string | null {
  const lead = /^sheet\s*(?:->|=>|→|=|:)\s*/i.exec(line.trim());
  if (!lead) return null;
  const name = line.trim().slice(lead[0].length).trim();
  return name ? name.slice(0, 200) : null;
}

/** "Type = companies", "type: lead" → the record type named; anything else null. */
export function typeChoice(line: string): RecordType | null {
  const m = /^(?:record[ -]?)?type\s*(?:->|=>|→|=|:)\s*(clients?|leads?|compan(?:y|ies))$/i.exec(line.trim());
  if (!m) return null;
  const word = m[1]!.toLowerCase();
  return word.startsWith('client') ? 'clients' : word.startsWith('lead') ? 'leads' : 'companies';
}

/** "duplicates: update", "on-duplicate = skip" → the choice, read without a regex over the whole line. */
export function duplicateChoice(line: string): OnDuplicateChoice | null {
  let rest = line.trim().toLowerCase();
  const lead = /^(?:on[ -]?)?duplicates?/.exec(rest);
  if (!lead) return null;
  rest = rest.slice(lead[0].length).trim();
  const sep = [':', '=', '->'].find((s) => rest.startsWith(s));
  if (sep) rest = rest.slice(sep.length).trim();
  if (!DUPLICATE_CHOICES.has(rest)) return null;
  if (rest === 'fill') return 'fill';
  return ['update', 'overwrite', 'merge'].includes(rest) ? 'update' : 'skip';
}

/** "companies: no", "link companies = off" → false; "companies: yes" → true; anything else null. */
export function companiesChoice(line: string): boolean | null {
  const m = /^(?:link[ -]?)?compan(?:y|ies)\s*[:=]\s*(no|off|yes|on)$/.exec(line.trim().toLowerCase());
  if (!m) return null;
  return m[1] === 'yes' || m[1] === 'on';
}

function asField(type: RecordType, value: string): TargetChoice | undefined {
  try {
    return resolveField(type, value) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The file's columns and the type's fields, as a reply may name them. */
function vocabularyOf(type: RecordType, headers: readonly string[]): ReplyVocabulary {
  const compact = (x: string) => plainWords(x).join(' ');
  const byLower = new Map<string, string>();
  const byWords = new Map<string, string>();
  const seen = new Set<string>();
  for (const h of headers) {
    if (!byLower.has(h.trim().toLowerCase())) byLower.set(h.trim().toLowerCase(), h);
    const c = compact(h);
    if (c && !byWords.has(c)) byWords.set(c, h);
  }
  return {
    type,
    header: (text) => byLower.get(text.trim().toLowerCase()) ?? byWords.get(compact(text)),
    field: (text) => asField(type, text),
    names: [...byLower.values(), ...fieldsOf(type).map((f) => f.label)]
      .filter((name) => !seen.has(name.toLowerCase()) && !!seen.add(name.toLowerCase()))
      .map((name) => ({ name, words: plainWords(name) })),
  };
}

type Effect =
  | { confirm: true }
  | { cancel: true }
  | { dryRun: true }
  | { undo: true }
  | { retry: true }
  | { sheet: string }
  | { type: RecordType }
  | { onDuplicate: OnDuplicateChoice }
  | { linkCompanies: boolean }
  | { forget: string }
  | { correction: Correction };

/** One stretch of a line: something to do, a reason it cannot be done, politeness, or nothing known. */
type Clause =
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
function readLine(line: string, v: ReplyVocabulary): { text: string; clause: Clause }[] {
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

/**
 * "Forget Email", "forget \"Kunden Mail\"" → the column whose learned mapping is to be forgotten. Only a
 * column of the file is read so: "forget it" stays a cancellation.
 */
export function forgetChoice(line: string, v: Pick<ReplyVocabulary, 'header'>): string | null {
  const lead = /^(?:forget|vergiss|vergessen|oublier|oublie|olvidar|olvida)\s+/i.exec(line.trim());
  if (!lead) return null;
  return v.header(cleanTarget(line.trim().slice(lead[0].length))) ?? null;
}

function effectNote(e: Effect): string {
  if ('confirm' in e) return 'Confirmed.';
  if ('cancel' in e) return 'Cancel.';
  if ('dryRun' in e) return 'Dry run: read and check the rows, write nothing.';
  if ('undo' in e) return 'Undo: delete the records the import created and restore those it changed.';
  if ('retry' in e) return 'Retry: resume the import after its last written row.';
  if ('sheet' in e) return `Sheet: "${e.sheet}".`;
  if ('type' in e) return `Type: ${e.type}.`;
  if ('forget' in e) return `Forget what was learned for "${e.forget}".`;
  if ('onDuplicate' in e) return `Duplicates: ${DUPLICATE_SAID[e.onDuplicate]}.`;
  if ('linkCompanies' in e)
    return e.linkCompanies
      ? 'Companies: link each contact to its company.'
      : 'Companies: do not link contacts to companies.';
  return describe(e.correction);
}

/** Decides what one line is: understood, not understood (and why), or ignored politeness. */
function judgeLine(
  line: string,
  v: ReplyVocabulary,
): { status: ReplyLine['status']; notes: string[]; problems: string[]; effects: Effect[] } {
  const pieces = readLine(line, v);
  const effects = pieces.flatMap((p) => (p.clause.kind === 'action' ? p.clause.effects : []));
  const problems = pieces.flatMap((p) => (p.clause.kind === 'problem' ? [p.clause.message] : []));
  const unknown = pieces.filter((p) => p.clause.kind === 'unknown');
  for (const p of unknown) {
    const names = namesIn(v, p.text);
    const short = plainWords(p.text).length <= (effects.length ? 2 : 3);
    if (names.length)
      problems.push(
        `"${p.text.slice(0, 120)}" names ${names.map((n) => `"${n}"`).join(', ')}, but I could not tell what to do with it.`,
      );
    else if (!short) problems.push(`I did not understand "${p.text.slice(0, 120)}".`);
  }
  // A line with a problem does nothing at all, not even its readable part: the person fixes the line.
  const notes = effects.map(effectNote);
  if (problems.length)
    return { status: 'not_understood', notes: [...notes, ...problems], problems, effects: [] };
  if (effects.length) return { status: 'understood', notes, problems, effects };
  return { status: 'ignored', notes: [], problems, effects: [] };
}

/**
 * Reads a person's reply (quoted text already removed), line by line. Corrections take `Field = Column`
 * (the form the first answer shows) and also `Column = Field` when only that reading fits, and the
 * common ways of saying it ("skip Notes", "map Mobile to Phone", "phone should be the Mobile column");
 * confirmations and cancellations in English, German, French and Spanish. A line that names a column or
 * a field and could not be applied is a problem, so the reply starts nothing. Greetings and thanks are
 * ignored, and reading stops at a sign-off or a mobile footer. Only a bounded head of the text is read.
 */
export function parseReply(text: string, type: RecordType, headers: readonly string[]): ReplyCommand {
  const cmd: ReplyCommand = {
    confirm: false,
    cancel: false,
    dryRun: false,
    undo: false,
    retry: false,
    corrections: [],
    understood: [],
    problems: [],
    lines: [],
  };
  const v = vocabularyOf(type, headers);
  for (const raw of boundedReplyText(text).split('\n')) {
    const line = cleanLine(raw);
    if (!line) continue;
    if (endsInstructions(plainWords(line))) {
      cmd.lines.push({ text: line, status: 'ignored', notes: ['signature: what follows is not read'] });
      break;
    }
    const judged = judgeLine(line, v);
    cmd.lines.push({ text: line, status: judged.status, notes: judged.notes });
    cmd.problems.push(...judged.problems);
    for (const e of judged.effects) apply(cmd, e);
  }
  return cmd;
}

function apply(cmd: ReplyCommand, e: Effect): void {
  const note = effectNote(e);
  if ('confirm' in e) cmd.confirm = true;
  else if ('cancel' in e) cmd.cancel = true;
  else if ('dryRun' in e) cmd.dryRun = true;
  else if ('undo' in e) cmd.undo = true;
  else if ('retry' in e) cmd.retry = true;
  else if ('sheet' in e) cmd.sheet = e.sheet;
  else if ('type' in e) cmd.type = e.type;
  else if ('onDuplicate' in e) cmd.onDuplicate = e.onDuplicate;
  else if ('linkCompanies' in e) cmd.linkCompanies = e.linkCompanies;
  else if ('forget' in e) cmd.forget = [...new Set([...(cmd.forget ?? []), e.forget])];
  else cmd.corrections.push(e.correction);
  if (!cmd.understood.includes(note)) cmd.understood.push(note);
}

function readCorrection(v: ReplyVocabulary, rawLeft: string, rawRight: string): Correction | string {
  const left = cleanTarget(rawLeft);
  const right = cleanTarget(rawRight);
  if (SKIP.has(right.toLowerCase())) {
    const header = v.header(left);
    if (header) return { header, field: null };
    const field = v.field(left);
    if (field && field !== CUSTOM_FROM_HEADER) return { unmapField: field };
    return `"${left}" is neither a column of the file nor a field.`;
  }
  const fieldLeft = v.field(left);
  const headerRight = v.header(right);
  if (fieldLeft && headerRight) return { header: headerRight, field: fieldLeft };
  const headerLeft = v.header(left);
  const fieldRight = v.field(right);
  if (headerLeft && fieldRight) return { header: headerLeft, field: fieldRight };
  if (fieldLeft) return `The file has no column "${right}" (in "${left} = ${right}").`;
  if (headerLeft) return `"${right}" is not a field of ${v.type} (in "${left} = ${right}").`;
  return `I could not read "${left} = ${right}": write a field and a column, e.g. "Phone = Mobile number".`;
}

function describe(c: Correction): string {
  if ('unmapField' in c) return `Do not import ${c.unmapField}.`;
  return c.field ? `Column "${c.header}" → ${c.field}.` : `Column "${c.header}" → not imported.`;
}

/** True when the reply asks for something; a reply with problems is never acted on. */
export function isActionable(cmd: ReplyCommand): boolean {
  if (cmd.problems.length) return false;
  return (
    cmd.confirm ||
    cmd.cancel ||
    cmd.dryRun ||
    cmd.undo ||
    cmd.retry ||
    cmd.onDuplicate !== undefined ||
    cmd.linkCompanies !== undefined ||
    cmd.sheet !== undefined ||
    cmd.type !== undefined ||
    (cmd.forget?.length ?? 0) > 0 ||
    cmd.corrections.length > 0
  );
}
