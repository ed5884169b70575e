import {
  customKeyOf,
  isCustomTarget,
  isSafeCustomKey,
  MappingTarget,
  MAX_CUSTOM_PER_FILE,
  MAX_CUSTOM_VALUE_CHARS,
} from '../custom-field';
import { FieldKey, fieldDef, fieldsOf } from '../field-catalog';
import { RecordType } from '../record-type';
import { unguardCell } from '../report/report-roundtrip';
import {
  companyKey,
  normalizeEmail,
  normalizeWebsite,
  parseEmployees,
  splitFullName,
  splitTags,
} from './value-normalizers';
import { phoneToE164 } from './phone-e164';

export type FieldValue = string | number | string[];
export type RecordFields = Partial<Record<FieldKey, FieldValue>>;
/** Custom field values by key: strings only. */
export type CustomValues = Record<string, string>;

/** A mapping ready to apply to rows: which cell feeds which field. */
export interface CompiledMapping {
  readonly type: RecordType;
  readonly width: number;
  readonly columns: readonly { readonly index: number; readonly field: FieldKey }[];
  /** Columns kept as custom fields, by key. */
  readonly custom: readonly { readonly index: number; readonly key: string }[];
  readonly required: readonly { readonly key: FieldKey; readonly label: string }[];
  /** The file is an Intake report sent back: cells lose the apostrophe the report put before formulas. */
  readonly fromReport?: boolean;
}

export interface ValidRow {
  readonly ok: true;
  readonly key: string;
  readonly fields: RecordFields;
  /** Present when the row has a value for a custom field. */
  readonly custom?: CustomValues;
  readonly phoneE164?: string;
  readonly warnings: string[];
}
export interface InvalidRow {
  readonly ok: false;
  readonly reason: string;
}
export type RowResult = ValidRow | InvalidRow;

export function compileMapping(
  type: RecordType,
  width: number,
  columns: readonly { index: number; field: MappingTarget | null }[],
  fromReport = false,
): CompiledMapping {
  const allowed = new Set(fieldsOf(type).map((f) => f.key));
  const used = new Set<MappingTarget>();
  const out: { index: number; field: FieldKey }[] = [];
  const custom: { index: number; key: string }[] = [];
  for (const c of columns) {
    if (c.field === null) continue;
    if (isCustomTarget(c.field)) {
      const key = customKeyOf(c.field);
      if (!isSafeCustomKey(key)) throw new Error(`custom field key ${JSON.stringify(key)} is not safe`);
      if (used.has(c.field)) throw new Error(`custom field ${key} is mapped from more than one column`);
      used.add(c.field);
      custom.push({ index: c.index, key });
      continue;
    }
    if (!allowed.has(c.field)) throw new Error(`field ${c.field} is not a field of ${type}`);
    if (used.has(c.field)) throw new Error(`field ${c.field} is mapped from more than one column`);
    used.add(c.field);
    out.push({ index: c.index, field: c.field });
  }
  const required = fieldsOf(type)
    .filter((f) => f.requiredFor.includes(type))
    .map((f) => ({ key: f.key, label: f.label }));
  if (custom.length > MAX_CUSTOM_PER_FILE)
    throw new Error(`${custom.length} custom fields; a file keeps at most ${MAX_CUSTOM_PER_FILE}`);
  return { type, width, columns: out, required, custom, fromReport };
}

function surplusReason(cells: readonly string[], width: number): string | null {
  for (let i = width; i < cells.length; i++) {
    if ((cells[i] ?? '').trim() !== '') {
      return `row has ${cells.length} values but the header has ${width} columns; values may be shifted`;
    }
  }
  return null;
}

function pickValues(cells: readonly string[], mapping: CompiledMapping): Map<FieldKey, string> {
  const values = new Map<FieldKey, string>();
  for (const { index, field } of mapping.columns) {
    const cell = (cells[index] ?? '').trim();
    const v = mapping.fromReport ? unguardCell(cell) : cell;
    if (v !== '') values.set(field, v);
  }
  const full = values.get('fullName');
  if (full !== undefined) {
    values.delete('fullName');
    const { firstName, lastName } = splitFullName(full);
    if (!values.has('firstName') && firstName) values.set('firstName', firstName);
    if (!values.has('lastName') && lastName) values.set('lastName', lastName);
  }
  return values;
}

/** Applies the field rules: skips for missing required values and bad emails, warnings for the rest. */
export function validateRow(cells: readonly string[], mapping: CompiledMapping, country: string): RowResult {
  const surplus = surplusReason(cells, mapping.width);
  if (surplus) return { ok: false, reason: surplus };
  const values = pickValues(cells, mapping);
  for (const req of mapping.required) {
    if (!values.has(req.key)) return { ok: false, reason: `missing required field ${req.label}` };
  }
  const fields: RecordFields = {};
  const warnings: string[] = [];
  let phoneE164: string | undefined;
  for (const [key, raw] of values) {
    switch (fieldDef(key).kind) {
      case 'email': {
        const email = normalizeEmail(raw);
        if (email === null) return { ok: false, reason: `invalid email "${raw}"` };
        fields[key] = email;
        break;
      }
      case 'phone':
        fields[key] = raw;
        phoneE164 = phoneToE164(raw, country) ?? undefined;
        if (!phoneE164) warnings.push(`phone "${raw}" could not be parsed`);
        break;
      case 'website': {
        const url = normalizeWebsite(raw);
        if (url === null) warnings.push(`website "${raw}" is not a URL`);
        fields[key] = url ?? raw;
        break;
      }
      case 'integer': {
        const n = parseEmployees(raw);
        if (n === null) warnings.push(`${fieldDef(key).label} "${raw}" is not a whole number; dropped`);
        else fields[key] = n;
        break;
      }
      case 'tags': {
        const tags = splitTags(raw);
        if (tags.length) fields[key] = tags;
        break;
      }
      default:
        fields[key] = raw;
    }
  }
  const key = mapping.type === 'companies' ? companyKey(String(fields.name)) : String(fields.email);
  const custom = pickCustom(cells, mapping, warnings);
  return custom
    ? { ok: true, key, fields, custom, phoneE164, warnings }
    : { ok: true, key, fields, phoneE164, warnings };
}

/** The row's custom values, as the strings they were (trimmed, clipped); undefined when it has none. */
function pickCustom(
  cells: readonly string[],
  mapping: CompiledMapping,
  warnings: string[],
): CustomValues | undefined {
  let custom: CustomValues | undefined;
  for (const { index, key } of mapping.custom) {
    const cell = (cells[index] ?? '').trim();
    const v = mapping.fromReport ? unguardCell(cell) : cell;
    if (v === '') continue;
    custom ??= {};
    custom[key] = v.slice(0, MAX_CUSTOM_VALUE_CHARS);
    if (v.length > MAX_CUSTOM_VALUE_CHARS)
      warnings.push(`custom field ${key} clipped to ${MAX_CUSTOM_VALUE_CHARS} characters`);
  }
  return custom;
}
