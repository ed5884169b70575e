import type { FieldKey } from '../field-catalog';
import type { FieldValue, RecordFields } from '../validate/row-validator';

/** What a row does to a record that exists: `update` overwrites with its non-empty values, `fill` only fills empty fields. */
export type MergePolicy = 'update' | 'fill';

/** A record's values as a merge sees them. */
export interface MergeSide {
  fields: RecordFields;
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

/** The change the row makes under `policy`, or null when it would change nothing (unchanged). */
export function planMerge(existing: MergeSide, row: MergeSide, policy: MergePolicy): MergePlan | null {
  const set: RecordFields = {};
  const before: RecordFields = {};
  const absent: FieldKey[] = [];
  for (const [k, value] of Object.entries(row.fields) as [FieldKey, FieldValue][]) {
    if (isEmptyValue(value)) continue;
    const old = existing.fields[k];
    const changes = policy === 'fill' ? isEmptyValue(old) : !sameValue(old, value);
    if (!changes) continue;
    set[k] = value;
    if (old === undefined || old === null) absent.push(k);
    else before[k] = old;
  }
  const from = existing.companyId ?? null;
  const to = row.companyId ?? null;
  const relink = to !== null && to !== from && (policy === 'update' || from === null);
  if (!Object.keys(set).length && !relink) return null;
  const plan: MergePlan = { set, before, absent };
  if (relink) plan.company = { from, to };
  if ('phone' in set && (row.phoneE164 ?? null) !== (existing.phoneE164 ?? null)) {
    plan.phone = { from: existing.phoneE164 ?? null, to: row.phoneE164 ?? null };
  }
  return plan;
}
