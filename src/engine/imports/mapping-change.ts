import { FieldKey, fieldsOf, isFieldOf } from '../../core/field-catalog';
import { IntakeError } from '../../core/intake-error';
import type { RecordType } from '../../core/record-type';
import type { MappedColumn } from './import.schema';

/** A person's corrections: by header name ({"Mobile": "phone"}) and/or by column index. */
export interface MappingChange {
  byHeader?: Record<string, string | null>;
  byIndex?: { index: number; field: string | null }[];
}

const SKIP_WORDS = new Set(['', 'none', 'skip', 'ignore', "don't import", 'dont import', '-']);

/** Accepts a field key, a field label ("Phone", "Postal Code") or a word meaning "don't import". */
export function resolveField(type: RecordType, value: string | null): FieldKey | null {
  if (value === null || SKIP_WORDS.has(value.trim().toLowerCase())) return null;
  const v = value.trim();
  if (isFieldOf(type, v)) return v;
  const compact = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const byLabel = fieldsOf(type).find(
    (f) => compact(f.label) === compact(v) || compact(f.key) === compact(v),
  );
  if (byLabel) return byLabel.key;
  const keys = fieldsOf(type)
    .map((f) => f.key)
    .join(', ');
  throw new IntakeError(
    'invalid_mapping',
    `"${v}" is not a field of ${type}. Use one of: ${keys}, or null to skip.`,
  );
}

function findColumn(mapping: readonly MappedColumn[], header: string): MappedColumn {
  const exact = mapping.find((c) => c.header === header);
  const loose = exact ?? mapping.find((c) => c.header.trim().toLowerCase() === header.trim().toLowerCase());
  if (!loose) {
    const headers = mapping.map((c) => `"${c.header}"`).join(', ');
    throw new IntakeError(
      'invalid_mapping',
      `The file has no column "${header}". Its columns are ${headers}.`,
    );
  }
  return loose;
}

/**
 * Returns the new mapping; a person's choice has full confidence and remembers when it was made (`at`).
 * A choice made before the column's current one, or before the type was last chosen, was handled late:
 * it does not apply, so a later select never loses to an earlier one.
 */
export function applyMappingChange(
  type: RecordType,
  mapping: readonly MappedColumn[],
  change: MappingChange,
  at = Number.MAX_SAFE_INTEGER,
  typeChosenAt = 0,
): MappedColumn[] {
  const next = mapping.map((c) => ({ ...c }));
  const set = (col: MappedColumn, field: string | null) => {
    const target = next[col.index];
    const field_ = resolveField(type, field); // an unknown field is refused even when the choice is stale
    if (!target || at < typeChosenAt || at < (target.chosenAt ?? 0)) return;
    target.field = field_;
    target.confidence = 1;
    target.chosenAt = at;
    // A person's choice answers the suggestion's warning and needs no reason from the suggester.
    delete target.reason;
    delete target.warning;
  };
  for (const [header, field] of Object.entries(change.byHeader ?? {})) set(findColumn(next, header), field);
  for (const { index, field } of change.byIndex ?? []) {
    const col = next[index];
    if (!col)
      throw new IntakeError(
        'invalid_mapping',
        `There is no column ${index}; columns are 0 to ${next.length - 1}.`,
      );
    set(col, field);
  }
  return next;
}

/**
 * The mapping after the type was chosen at `at`: the suggestion for the new type, except for columns a
 * person chose at or after `at` (handled before this older type change), kept when the type has the field.
 */
export function retypeMapping(
  type: RecordType,
  current: readonly MappedColumn[],
  suggestion: readonly MappedColumn[],
  at: number,
): MappedColumn[] {
  return suggestion.map((s) => {
    const c = current[s.index];
    const later = c?.chosenAt !== undefined && c.chosenAt >= at;
    return later && (c.field === null || isFieldOf(type, c.field)) ? { ...c } : { ...s };
  });
}
