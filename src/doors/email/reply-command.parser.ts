import { FieldKey } from '../../core/field-catalog';
import type { RecordType } from '../../core/record-type';
import { resolveField } from '../../engine/imports/mapping-change';
import { boundedReplyText } from './reply-text';

/** One correction: a column to a field (or to nothing), or "don't import this field" whatever feeds it. */
export type Correction = { header: string; field: FieldKey | null } | { unmapField: FieldKey };

export interface ReplyCommand {
  confirm: boolean;
  cancel: boolean;
  dryRun: boolean;
  onDuplicate?: 'skip' | 'update' | 'fill';
  /** `companies: no` turns off linking clients and leads to companies. */
  linkCompanies?: boolean;
  corrections: Correction[];
  /** Human lines for the "what I understood" part of an answer. */
  understood: string[];
  /** Lines that looked like instructions but could not be applied; any of them means no import. */
  problems: string[];
}

const YES = new Set([
  'yes',
  'y',
  'yep',
  'yeah',
  'confirm',
  'confirmed',
  'ok',
  'okay',
  'ja',
  'oui',
  'si',
  'sí',
  'start',
  'go',
]);
const NO = new Set(['no', 'cancel', 'stop', 'abort', 'nein', 'non']);
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
]);
/** Longest first, so `->` and `=>` are read as one separator. */
const SEPARATORS = ['->', '=>', '→', '=', ':'];
const DUPLICATE_CHOICES = new Set(['update', 'overwrite', 'merge', 'fill', 'skip', 'keep']);

const DUPLICATE_SAID = {
  skip: 'skip them',
  update: 'update existing records',
  fill: 'fill only the empty fields of existing records',
} as const;

function words(line: string): string[] {
  return line
    .toLowerCase()
    .normalize('NFC')
    .replace(/[.!?,;¡¿"'`*_()[\]]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

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

/** "duplicates: update", "on-duplicate = skip" → the choice, read without a regex over the whole line. */
export function duplicateChoice(line: string): 'skip' | 'update' | 'fill' | null {
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

function sameHeader(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function asField(type: RecordType, value: string): FieldKey | undefined {
  try {
    return resolveField(type, value) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a person's reply (quoted text already removed). Corrections take `Field = Column` (the form the
 * first reply shows, e.g. `Phone = Mobile number`) and also `Column = Field` when only that reading fits;
 * `=`, `:`, `->` and `→` all separate. `Column = skip` drops a column. Short lines that are not
 * instructions ("Thanks", "Ana") are ignored; anything longer that cannot be read is a problem. Only a
 * bounded head of the text is read, line by line, with no backtracking regex over a whole line.
 */
export function parseReply(text: string, type: RecordType, headers: readonly string[]): ReplyCommand {
  const cmd: ReplyCommand = {
    confirm: false,
    cancel: false,
    dryRun: false,
    corrections: [],
    understood: [],
    problems: [],
  };
  const findHeader = (s: string) => headers.find((h) => sameHeader(h, s));
  for (const raw of boundedReplyText(text).split('\n')) {
    const line = cleanLine(raw);
    if (!line) continue;
    const w = words(line);
    const joined = w.join(' ');
    if (/^(?:do a |please |as a )?dry[ -]?run\b/.test(joined) || joined === 'test run') {
      cmd.dryRun = true;
      cmd.understood.push('Dry run: read and check the rows, write nothing.');
      continue;
    }
    const link = companiesChoice(line);
    if (link !== null) {
      cmd.linkCompanies = link;
      cmd.understood.push(
        link
          ? 'Companies: link each contact to its company.'
          : 'Companies: do not link contacts to companies.',
      );
      continue;
    }
    const dup = duplicateChoice(line);
    if (dup) {
      cmd.onDuplicate = dup;
      cmd.understood.push(`Duplicates: ${DUPLICATE_SAID[dup]}.`);
      continue;
    }
    const parts = splitInstruction(line);
    if (parts) {
      const [left, right] = parts;
      const fix = readCorrection(type, left, right, findHeader);
      if (typeof fix === 'string') cmd.problems.push(fix);
      else {
        cmd.corrections.push(fix);
        cmd.understood.push(describe(fix));
      }
      continue;
    }
    if (w.length > 0 && w.length <= 4 && YES.has(w[0]!)) {
      cmd.confirm = true;
      if (!cmd.understood.includes('Confirmed.')) cmd.understood.push('Confirmed.');
      continue;
    }
    if (w.length > 0 && w.length <= 3 && NO.has(w[0]!)) {
      cmd.cancel = true;
      cmd.understood.push('Cancel.');
      continue;
    }
    // Greetings, thanks and names: short lines without an instruction shape are ignored.
    if (w.length <= 3) continue;
    cmd.problems.push(`I did not understand "${line.slice(0, 120)}".`);
  }
  return cmd;
}

function readCorrection(
  type: RecordType,
  left: string,
  right: string,
  findHeader: (s: string) => string | undefined,
): Correction | string {
  if (SKIP.has(right.toLowerCase())) {
    const header = findHeader(left);
    if (header) return { header, field: null };
    const field = asField(type, left);
    if (field) return { unmapField: field };
    return `"${left}" is neither a column of the file nor a field.`;
  }
  const fieldLeft = asField(type, left);
  const headerRight = findHeader(right);
  if (fieldLeft && headerRight) return { header: headerRight, field: fieldLeft };
  const headerLeft = findHeader(left);
  const fieldRight = asField(type, right);
  if (headerLeft && fieldRight) return { header: headerLeft, field: fieldRight };
  if (fieldLeft) return `The file has no column "${right}" (in "${left} = ${right}").`;
  if (headerLeft) return `"${right}" is not a field of ${type} (in "${left} = ${right}").`;
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
    cmd.onDuplicate !== undefined ||
    cmd.linkCompanies !== undefined ||
    cmd.corrections.length > 0
  );
}
