import type { TargetChoice } from '../../core/custom-field';
import { fieldsOf } from '../../core/field-catalog';
import type { RecordType } from '../../core/record-type';
import { resolveField } from '../../engine/imports/mapping-change';
import { plainWords } from './reply-phrases';

/** What a reply can name: the file's columns and the type's fields. */
export interface ReplyVocabulary {
  type: string;
  header(text: string): string | undefined;
  field(text: string): TargetChoice | undefined;
  /** Every column header and field label with its words, for telling whether a line names one. */
  names: readonly { name: string; words: readonly string[] }[];
}

function asField(type: RecordType, value: string): TargetChoice | undefined {
  try {
    return resolveField(type, value) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The file's columns and the type's fields, as a reply may name them. */
export function vocabularyOf(type: RecordType, headers: readonly string[]): ReplyVocabulary {
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
