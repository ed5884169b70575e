import { FieldKey, fieldsOf } from '../field-catalog';
import { RecordType } from '../record-type';
import { normalizeHeader } from './header-normalize';
import { FieldScore, scoreHeader, SUGGESTION_THRESHOLD } from './header-scorer';

export { guessType } from './type-guesser';
export { SUGGESTION_THRESHOLD };

export interface ColumnSuggestion {
  index: number;
  header: string;
  field: FieldKey | null;
  /** 0..1, two decimals; 1 for a mapping a person confirmed. */
  confidence: number;
}

/** normalizeHeader(header) → the field a person confirmed for it (null = "don't import"). */
export type LearnedMapping = ReadonlyMap<string, FieldKey | null>;

/** A column whose samples are e-mail addresses is the e-mail column when no header said so. */
const SAMPLE_EMAIL_CONFIDENCE = 0.7;
/** "Vorname, Name": beside a first name, a bare "Name" is the surname. */
const NAME_AS_SURNAME_CONFIDENCE = 0.7;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

interface Pick {
  readonly field: FieldKey | null;
  readonly confidence: number;
}

type Picks = (Pick | undefined)[];

/** One suggestion per column; each field is suggested for at most one column. */
export function suggestMapping(
  type: RecordType,
  headers: readonly string[],
  samples: readonly (readonly string[])[],
  learned?: LearnedMapping,
): ColumnSuggestion[] {
  const pinned = pinLearned(type, headers, learned);
  const candidates = headers.map((h, i) =>
    pinned[i] ? [] : scoreHeader(type, h).filter((c) => c.score >= SUGGESTION_THRESHOLD),
  );
  let picks = assign(candidates, pinned, new Set());
  if (hasField(picks, 'firstName') && suggested(picks, pinned, 'fullName')) {
    // First (and last) name columns win; "Name" beside them is a duplicate or the surname.
    const nameColumn = picks.findIndex((p) => p?.field === 'fullName');
    picks = assign(candidates, pinned, new Set<FieldKey>(['fullName']));
    nameAsSurname(picks, headers, nameColumn);
  }
  emailFromSamples(type, picks, samples);
  return headers.map((header, index) => ({
    index,
    header,
    field: picks[index]?.field ?? null,
    confidence: picks[index]?.confidence ?? 0,
  }));
}

/** Learned mappings win outright; a field learned for two columns goes to the first. */
function pinLearned(type: RecordType, headers: readonly string[], learned?: LearnedMapping): Picks {
  const allowed = new Set(fieldsOf(type).map((f) => f.key));
  const taken = new Set<FieldKey>();
  return headers.map((h) => {
    const key = normalizeHeader(h);
    if (!learned?.has(key)) return undefined;
    const field = learned.get(key) ?? null;
    if (field === null) return { field, confidence: 1 };
    if (!allowed.has(field) || taken.has(field)) return undefined;
    taken.add(field);
    return { field, confidence: 1 };
  });
}

/** Greedy by confidence (ties → leftmost column): a column that loses a field takes its next best free one. */
function assign(candidates: readonly FieldScore[][], pinned: Picks, excluded: ReadonlySet<FieldKey>): Picks {
  const picks: Picks = [...pinned];
  const claimed = new Set(pinned.flatMap((p) => (p?.field ? [p.field] : [])));
  const options = candidates
    .flatMap((list, column) => list.map((c, rank) => ({ ...c, column, rank })))
    .filter((o) => !excluded.has(o.field))
    .sort((a, b) => b.score - a.score || a.column - b.column || a.rank - b.rank);
  for (const o of options) {
    if (picks[o.column] || claimed.has(o.field)) continue;
    picks[o.column] = { field: o.field, confidence: o.score };
    claimed.add(o.field);
  }
  return picks;
}

function hasField(picks: Picks, field: FieldKey): boolean {
  return picks.some((p) => p?.field === field);
}

function suggested(picks: Picks, pinned: Picks, field: FieldKey): boolean {
  return picks.some((p, i) => p?.field === field && !pinned[i]);
}

function nameAsSurname(picks: Picks, headers: readonly string[], column: number): void {
  const header = headers[column];
  if (header === undefined || picks[column] || hasField(picks, 'lastName')) return;
  if (normalizeHeader(header) !== 'name') return;
  picks[column] = { field: 'lastName', confidence: NAME_AS_SURNAME_CONFIDENCE };
}

function emailFromSamples(type: RecordType, picks: Picks, samples: readonly (readonly string[])[]): void {
  if (hasField(picks, 'email') || !fieldsOf(type).some((f) => f.key === 'email')) return;
  for (let column = 0; column < picks.length; column++) {
    if (picks[column]) continue;
    const values = samples.map((row) => (row[column] ?? '').trim()).filter((v) => v !== '');
    const emails = values.filter((v) => EMAIL.test(v)).length;
    if (values.length > 0 && emails / values.length >= 0.8) {
      picks[column] = { field: 'email', confidence: SAMPLE_EMAIL_CONFIDENCE };
      return;
    }
  }
}
