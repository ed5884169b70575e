import { FieldKey } from '../../core/field-catalog';
import type { RecordType } from '../../core/record-type';
import { resolveField } from '../../engine/imports/mapping-change';

/** One correction: a column to a field (or to nothing), or "don't import this field" whatever feeds it. */
export type Correction = { header: string; field: FieldKey | null } | { unmapField: FieldKey };

export interface ReplyCommand {
  confirm: boolean;
  cancel: boolean;
  dryRun: boolean;
  onDuplicate?: 'skip' | 'update';
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
const SEPARATOR = /\s*(?:->|=>|→|=|:)\s*/;

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
  return raw
    .replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '')
    .replace(/[.!;,]+\s*$/, '')
    .trim();
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
 * instructions ("Thanks", "Ana") are ignored; anything longer that cannot be read is a problem.
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
  for (const raw of text.split(/\r?\n/)) {
    const line = cleanLine(raw);
    if (!line) continue;
    const w = words(line);
    const joined = w.join(' ');
    if (/^(?:do a |please |as a )?dry[ -]?run\b/.test(joined) || joined === 'test run') {
      cmd.dryRun = true;
      cmd.understood.push('Dry run: read and check the rows, write nothing.');
      continue;
    }
    const dup = /^(?:on[ -]?)?duplicates?\s*(?::|=|->)?\s*(update|overwrite|merge|skip|keep)$/i.exec(
      line.trim(),
    );
    if (dup) {
      cmd.onDuplicate = ['update', 'overwrite', 'merge'].includes(dup[1]!.toLowerCase()) ? 'update' : 'skip';
      cmd.understood.push(
        `Duplicates: ${cmd.onDuplicate === 'update' ? 'update existing records' : 'skip them'}.`,
      );
      continue;
    }
    const parts = line.split(SEPARATOR);
    if (parts.length === 2 && parts[0] && parts[1]) {
      const [left, right] = [parts[0].trim(), parts[1].trim()];
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
    cmd.confirm || cmd.cancel || cmd.dryRun || cmd.onDuplicate !== undefined || cmd.corrections.length > 0
  );
}
