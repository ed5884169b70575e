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
  const custom = planCustom(existing.custom ?? {}, row.custom ?? {}, policy);
  if (!Object.keys(set).length && !relink && !custom) return null;
  const plan: MergePlan = { set, before, absent };
  if (custom) plan.custom = custom;
  if (relink) plan.company = { from, to };
  if ('phone' in set && (row.phoneE164 ?? null) !== (existing.phoneE164 ?? null)) {
    plan.phone = { from: existing.phoneE164 ?? null, to: row.phoneE164 ?? null };
  }
  return plan;
}

/** The custom values the row changes, like the fields: `fill` only fills what is empty. */
function planCustom(existing: CustomValues, row: CustomValues, policy: MergePolicy): MergePlan['custom'] {
  const set: CustomValues = {};
  const before: CustomValues = {};
  const absent: string[] = [];
  for (const [k, value] of Object.entries(row)) {
    if (value === '') continue;
    const old = Object.hasOwn(existing, k) ? existing[k] : undefined;
    if (policy === 'fill' ? !isEmptyValue(old) : old === value) continue;
    set[k] = value;
    if (old === undefined || old === null) absent.push(k);
    else before[k] = old;
  }
  return Object.keys(set).length ? { set, before, absent } : undefined;
}
