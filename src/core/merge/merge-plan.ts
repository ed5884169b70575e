import type { FieldKey } from '../field-catalog';
import type { CustomValues, FieldValue, RecordFields } from '../validate/row-validator';

/** What a row does to a record that exists: `update` overwrites with its non-empty values, `fill` only fills empty fields. */
export type MergePolicy = 'update' | 'fill';

/** A record's values as a merge sees them. */
export interface MergeSide {
  fields: RecordFields;
  /** Custom field values; absent for a record or row with none. */
  custom?: CustomValues | null;
  phoneE164: string | null;
  /** The linked company; undefined when the import does not link companies. */
  companyId?: string | null;
}

/**
 * The change a row makes to an existing record, and what the record held before it (so a rollback can
 * put it back). `absent` lists the changed fields that had no value before.
 */
export interface MergePlan {
  set: RecordFields;
  before: RecordFields;
  absent: FieldKey[];
  /** Present when the row changes custom fields: the same three, by custom key. */
  custom?: { set: CustomValues; before: CustomValues; absent: string[] };
  /** Present when the stored E.164 form changes with the phone. */
  phone?: { from: string | null; to: string | null };
  /** Present when the row links the record to another company. */
  company?: { from: string | null; to: string };
}

export function isEmptyValue(v: FieldValue | null | undefined): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

function sameValue(a: FieldValue | null | undefined, b: FieldValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/** The values a row changes under `policy`, with the previous ones and the keys the record did not have. */
function planValues<K extends string, V extends FieldValue>(
  existing: Partial<Record<K, V>>,
  row: Partial<Record<K, V>>,
  policy: MergePolicy,
): { set: Partial<Record<K, V>>; before: Partial<Record<K, V>>; absent: K[] } {
  const set: Partial<Record<K, V>> = {};
  const before: Partial<Record<K, V>> = {};
  const absent: K[] = [];
  for (const [k, value] of Object.entries(row) as [K, V][]) {
    if (isEmptyValue(value)) continue;
    const old = Object.hasOwn(existing, k) ? existing[k] : undefined;
    const changes = policy === 'fill' ? isEmptyValue(old) : !sameValue(old, value);
    if (!changes) continue;
    set[k] = value;
    if (old === undefined || old === null) absent.push(k);
    else before[k] = old;
  }
  return { set, before, absent };
}

/** The change the row makes under `policy`, or null when it would change nothing (unchanged). */
export function planMerge(existing: MergeSide, row: MergeSide, policy: MergePolicy): MergePlan | null {
  const { set, before, absent } = planValues<FieldKey, FieldValue>(existing.fields, row.fields, policy);
  const from = existing.companyId ?? null;
  const to = row.companyId ?? null;
  const relink = to !== null && to !== from && (policy === 'update' || from === null);
  const changed = planValues<string, string>(existing.custom ?? {}, row.custom ?? {}, policy);
  const custom = Object.keys(changed.set).length ? (changed as MergePlan['custom']) : undefined;
  if (!Object.keys(set).length && !relink && !custom) return null;
  const plan: MergePlan = { set, before, absent };
  if (custom) plan.custom = custom;
  if (relink) plan.company = { from, to };
  if ('phone' in set && (row.phoneE164 ?? null) !== (existing.phoneE164 ?? null)) {
    plan.phone = { from: existing.phoneE164 ?? null, to: row.phoneE164 ?? null };
  }
  return plan;
}
