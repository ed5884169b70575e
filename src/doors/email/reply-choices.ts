import type { RecordType } from '../../core/record-type';
import type { OnDuplicateChoice } from './reply-command';
import { cleanTarget } from './reply-corrections';
import type { ReplyVocabulary } from './reply-vocabulary';

/** The ways a reply may name what to do with records that already exist. */
const DUPLICATE_CHOICES = new Set(['update', 'overwrite', 'merge', 'fill', 'skip', 'keep']);

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

/**
 * "Forget Email", "forget \"Kunden Mail\"" → the column whose learned mapping is to be forgotten. Only a
 * column of the file is read so: "forget it" stays a cancellation.
 */
export function forgetChoice(line: string, v: Pick<ReplyVocabulary, 'header'>): string | null {
  const lead = /^(?:forget|vergiss|vergessen|oublier|oublie|olvidar|olvida)\s+/i.exec(line.trim());
  if (!lead) return null;
  return v.header(cleanTarget(line.trim().slice(lead[0].length))) ?? null;
}
