import {
  CUSTOM_FROM_HEADER,
  customKeyFor,
  customKeyOf,
  customTarget,
  isCustomTarget,
  MAX_CUSTOM_PER_FILE,
  TargetChoice,
  uniqueCustomKey,
} from '../../core/custom-field';
import { fieldsOf, isFieldOf } from '../../core/field-catalog';
import { IntakeError } from '../../core/intake-error';
import type { RecordType } from '../../core/record-type';
import type { MappedColumn } from './import.schema';

/** A person's corrections: by header name ({"Mobile": "phone"}) and/or by column index. */
export interface MappingChange {
  byHeader?: Record<string, string | null>;
  byIndex?: { index: number; field: string | null }[];
}

const SKIP_WORDS = new Set(['', 'none', 'skip', 'ignore', "don't import", 'dont import', '-']);
const CUSTOM_WORDS = new Set([
  'custom',
  'keep',
  'custom field',
  'keep as custom',
  'keep as custom field',
  'keep as a custom field',
  'keep it',
]);
/** "custom.birthday", "custom: Date of birth": a custom field the person named. */
export const NAMED_CUSTOM = /^custom\s*[.:]\s*(\S.*)$/is;

/**
 * Accepts a field key, a field label ("Phone", "Postal Code"), a word meaning "don't import", or a
 * custom field: "custom"/"keep" (named after the column's header) or "custom.<name>".
 */
export function resolveField(type: RecordType, value: string | null): TargetChoice | null {
  if (value === null || SKIP_WORDS.has(value.trim().toLowerCase())) return null;
  const v = value.trim();
  if (CUSTOM_WORDS.has(v.toLowerCase().replace(/\s+/g, ' '))) return CUSTOM_FROM_HEADER;
  const named = NAMED_CUSTOM.exec(v);
  if (named) return customTarget(customKeyFor(named[1] ?? ''));
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
    `"${v.slice(0, 100)}" is not a field of ${type}. Use one of: ${keys}; "custom" to keep the column as a custom field (or "custom.<name>" to name it); or null to skip.`,
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
    target.field = field_ === CUSTOM_FROM_HEADER ? keyFromHeader(next, target) : field_;
    target.confidence = 1;
    target.chosenAt = at;
    // A person's choice answers the suggestion's warning and needs no reason from the suggester.
    delete target.reason;
    delete target.warning;
    delete target.learnedFrom;
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
  const custom = next.filter((c) => isCustomTarget(c.field)).length;
  if (custom > MAX_CUSTOM_PER_FILE)
    throw new IntakeError(
      'invalid_mapping',
      `${custom} columns are kept as custom fields; a file can keep at most ${MAX_CUSTOM_PER_FILE}. Skip some.`,
    );
  return next;
}

/** The column's header in camelCase, suffixed 2, 3… when another column of the file has that key. */
function keyFromHeader(mapping: readonly MappedColumn[], column: MappedColumn) {
  const taken = new Set(
    mapping.flatMap((c) =>
      c.index !== column.index && isCustomTarget(c.field) ? [customKeyOf(c.field)] : [],
    ),
  );
  return customTarget(uniqueCustomKey(customKeyFor(column.header, `column${column.index + 1}`), taken));
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
    const kept = c?.field === null || isCustomTarget(c?.field) || isFieldOf(type, c?.field ?? '');
    return later && kept ? { ...c } : { ...s };
  });
}
