import { FieldKey, fieldsOf } from '../field-catalog';
import { RecordType } from '../record-type';
import { kindsOf, ValueKind } from './value-kinds';

/** What a column's head values say: how many were read and what share of them may be each kind. */
export interface ColumnEvidence {
  readonly values: number;
  readonly shares: ReadonlyMap<ValueKind, number>;
}

/** What the values say about a field a header named. */
export type Verdict = 'supports' | 'contradicts' | 'neutral';

/** The head rows that vote: enough to see a pattern, few enough to keep suggesting instant. */
export const EVIDENCE_ROWS = 300;
/** Fewer values than this say nothing: one odd cell is not a pattern. */
const MIN_VALUES = 2;
/** The share of values a kind needs to speak for the column. */
const MAJORITY = 0.8;

/** Values that, when a column is full of them, rule out every field made for something else. */
const DECISIVE: ReadonlySet<ValueKind> = new Set(['email', 'url', 'date', 'phone', 'salutation', 'boolean']);

/** The kinds of value each field holds; a field not listed holds free text. */
const FIELD_KINDS: Partial<Record<FieldKey, readonly ValueKind[]>> = {
  email: ['email'],
  phone: ['phone'],
  website: ['url'],
  postalCode: ['postalCode'],
  country: ['country'],
  state: ['state'],
  company: ['companyName', 'personName'],
  name: ['companyName', 'personName'],
  fullName: ['personName'],
  tags: ['tags'],
  employees: ['number'],
};

/** Free text takes anything: a note may well be an e-mail address or a date. */
const ANYTHING: ReadonlySet<FieldKey> = new Set(['notes']);

/** The field a column full of one kind of value is, when its header says nothing. */
const KIND_FIELD: Partial<Record<ValueKind, (type: RecordType) => FieldKey>> = {
  email: () => 'email',
  url: () => 'website',
  phone: () => 'phone',
  postalCode: () => 'postalCode',
  country: () => 'country',
  state: () => 'state',
  companyName: (type) => (type === 'companies' ? 'name' : 'company'),
  personName: () => 'fullName',
  tags: () => 'tags',
};

/** How sure values alone make us: an e-mail address is unmistakable, a two-word name less so. */
const VALUES_CONFIDENCE: Partial<Record<ValueKind, number>> = {
  email: 0.7,
  url: 0.7,
  phone: 0.7,
  country: 0.7,
  postalCode: 0.65,
  state: 0.65,
  companyName: 0.65,
  tags: 0.6,
  personName: 0.6,
};

/** Kinds in order of how specific they are: the first wins when several describe every value. */
const RANK: readonly ValueKind[] = [
  'email',
  'url',
  'date',
  'salutation',
  'phone',
  'postalCode',
  'country',
  'state',
  'companyName',
  'personName',
  'tags',
  'boolean',
  'id',
  'number',
];

/** Reads the column's non-empty values in the first EVIDENCE_ROWS rows. */
export function readColumn(samples: readonly (readonly string[])[], column: number): ColumnEvidence {
  const counts = new Map<ValueKind, number>();
  const values: string[] = [];
  const seen = new Map<string, readonly ValueKind[]>(); // columns repeat their values ("Germany", "VIP")
  for (const row of samples.slice(0, EVIDENCE_ROWS)) {
    const v = (row[column] ?? '').trim();
    if (v === '') continue;
    values.push(v);
    const kinds = seen.get(v) ?? kindsOf(v);
    seen.set(v, kinds);
    for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  if (counts.has('postalCode') && isCounting(values)) counts.delete('postalCode');
  const shares = new Map([...counts].map(([k, n]) => [k, n / values.length] as const));
  return { values: values.length, shares };
}

/** 10231, 10232, 10233: a running number, not postal codes. */
function isCounting(values: readonly string[]): boolean {
  const numbers = values.map(Number);
  return values.length >= MIN_VALUES && numbers.every((n, i) => i === 0 || n > (numbers[i - 1] ?? n));
}

/** The kind most values share (80% or more); null when there is none or country and state tie. */
export function dominantKind(e: ColumnEvidence): ValueKind | null {
  if (e.values < MIN_VALUES) return null;
  const major = RANK.filter((k) => (e.shares.get(k) ?? 0) >= MAJORITY);
  const [top] = major;
  if (top === undefined) return null;
  // "CA", "DE", "IN": countries or states alike, so neither.
  const place = top === 'country' ? 'state' : top === 'state' ? 'country' : null;
  if (place && (e.shares.get(place) ?? 0) >= (e.shares.get(top) ?? 0)) return null;
  return top;
}

/** Whether the values back the field a header named, speak against it, or say nothing either way. */
export function judge(field: FieldKey, e: ColumnEvidence): Verdict {
  if (e.values < MIN_VALUES || ANYTHING.has(field)) return 'neutral';
  const kinds = FIELD_KINDS[field] ?? [];
  const backed = kinds.some((k) => (e.shares.get(k) ?? 0) >= MAJORITY);
  if (backed) return 'supports';
  const top = dominantKind(e);
  return top !== null && DECISIVE.has(top) && !kinds.includes(top) ? 'contradicts' : 'neutral';
}

/** The field the values alone point to, for a column whose header says nothing; never ids or dates. */
export function fieldFromValues(
  type: RecordType,
  e: ColumnEvidence,
): { field: FieldKey; confidence: number } | null {
  const top = dominantKind(e);
  const toField = top ? KIND_FIELD[top] : undefined;
  if (!top || !toField) return null;
  const field = toField(type);
  if (!fieldsOf(type).some((f) => f.key === field)) return null;
  return { field, confidence: VALUES_CONFIDENCE[top] ?? 0.6 };
}

/** How a value kind reads in a warning: "e-mail addresses". */
export function describeKind(kind: ValueKind): string {
  const words: Record<ValueKind, string> = {
    email: 'e-mail addresses',
    url: 'web addresses',
    phone: 'phone numbers',
    date: 'dates',
    postalCode: 'postal codes',
    country: 'countries',
    state: 'states or provinces',
    companyName: 'company names',
    personName: "people's names",
    salutation: 'salutations (Mr, Ms…)',
    tags: 'lists of tags',
    boolean: 'yes/no values',
    id: 'ids',
    number: 'numbers',
  };
  return words[kind];
}
