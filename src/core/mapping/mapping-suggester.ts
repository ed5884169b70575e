import { RecordType } from '../record-type';
import { customKeyOf, isCustomTarget, isSafeCustomKey, MappingTarget } from '../custom-field';
import { FieldKey, fieldDef, fieldsOf } from '../field-catalog';
import {
  ColumnEvidence,
  describeKind,
  dominantKind,
  fieldFromValues,
  judge,
  readColumn,
  Verdict,
} from './column-evidence';
import { ADDRESS_FIELDS, addressBlock, Block, blockBonus, blockOf, CONTACT_FIELDS } from './header-blocks';
import { normalizeHeader } from './header-normalize';
import { FieldScore, scoreHeader, SUGGESTION_THRESHOLD } from './header-scorer';
import { NEVER_PHONE, STRONG_PENALTY, WEAK_PENALTY } from './header-words';
import { reportColumnsIn } from '../report/report-roundtrip';

export { guessType } from './type-guesser';
export { SUGGESTION_THRESHOLD };

/** Why a column got its field: its header, its values, both agreeing, or a person's earlier choice. */
export type SuggestionReason = 'header' | 'values' | 'header+values' | 'learned' | 'report';

export interface ColumnSuggestion {
  index: number;
  header: string;
  /** A catalog field, or a custom field (`custom.<key>`) a person chose for this header before. */
  field: MappingTarget | null;
  /** 0..1, two decimals; 1 for a mapping a person confirmed. */
  confidence: number;
  /** Null for a column left unmapped by the suggester. */
  reason: SuggestionReason | null;
  /** Present when the column's values speak against the field its header names. */
  warning?: string;
}

/** normalizeHeader(header) → the field a person confirmed for it (null = "don't import"). */
export type LearnedMapping = ReadonlyMap<string, MappingTarget | null>;

/** "Vorname, Name": beside a first name, a bare "Name" is the surname. */
const NAME_AS_SURNAME_CONFIDENCE = 0.7;
/** Values that agree with the header make it surer; values that disagree leave it a guess to check. */
const SUPPORT_BONUS = 0.05;
const CONTRADICTED_CONFIDENCE = 0.4;
const MAX_SUGGESTED_CONFIDENCE = 0.99;

interface Pick {
  readonly field: MappingTarget | null;
  readonly confidence: number;
  readonly reason: SuggestionReason;
  readonly warning?: string;
}

type Picks = (Pick | undefined)[];

/** A report's own column: left out with full confidence, as a person would. */
const OWN_REPORT_COLUMN: Pick = { field: null, confidence: 1, reason: 'report' };

/** A header's candidate field, weighed with what the column's values say. */
interface Candidate extends FieldScore {
  /** What columns compete on: the header's score, lowered when the values contradict it. */
  readonly rank: number;
  readonly verdict: Verdict;
  readonly warning?: string;
}

/**
 * One suggestion per column; each field is suggested for at most one column. Headers propose fields,
 * the head rows' values confirm or contradict them, and name the field of a column whose header says
 * nothing; an address is taken from one block (business, else plain, else home) throughout.
 */
export function suggestMapping(
  type: RecordType,
  headers: readonly string[],
  samples: readonly (readonly string[])[],
  learned?: LearnedMapping,
): ColumnSuggestion[] {
  // An Intake report sent back: its own columns (row, reason, outcome) are never imported.
  const own = reportColumnsIn(headers);
  const pinned = pinLearned(type, headers, learned).map((p, i) => (i < own ? OWN_REPORT_COLUMN : p));
  const evidence = headers.map((_h, i) => readColumn(samples, i));
  const blocks = headers.map(blockOf);
  const weighed = headers.map((h, i) => (pinned[i] ? [] : weigh(type, h, blocks[i] ?? 'none', evidence[i])));
  const candidates = keepOneAddressBlock(weighed, blocks);
  let picks = assign(candidates, pinned, new Set());
  if (hasField(picks, 'firstName') && suggested(picks, pinned, 'fullName')) {
    // First (and last) name columns win; "Name" beside them is a duplicate or the surname.
    const nameColumn = picks.findIndex((p) => p?.field === 'fullName');
    picks = assign(candidates, pinned, new Set<FieldKey>(['fullName']));
    nameAsSurname(picks, headers, nameColumn);
  }
  fromValues(type, picks, headers, weighed, evidence);
  return headers.map((header, index) => {
    const p = picks[index];
    const s: ColumnSuggestion = {
      index,
      header,
      field: p?.field ?? null,
      confidence: p?.confidence ?? 0,
      reason: p?.reason ?? null,
    };
    return p?.warning ? { ...s, warning: p.warning } : s;
  });
}

/** Learned mappings win outright; a field learned for two columns goes to the first. */
function pinLearned(type: RecordType, headers: readonly string[], learned?: LearnedMapping): Picks {
  const allowed = new Set(fieldsOf(type).map((f) => f.key));
  const taken = new Set<MappingTarget>();
  return headers.map((h) => {
    const key = normalizeHeader(h);
    if (!learned?.has(key)) return undefined;
    const field = learned.get(key) ?? null;
    if (field === null) return { field, confidence: 1, reason: 'learned' };
    const known = isCustomTarget(field) ? isSafeCustomKey(customKeyOf(field)) : allowed.has(field);
    if (!known || taken.has(field)) return undefined;
    taken.add(field);
    return { field, confidence: 1, reason: 'learned' };
  });
}

/** The header's fields above the threshold, each scored again with the values and the column's block. */
function weigh(type: RecordType, header: string, block: Block, e: ColumnEvidence | undefined): Candidate[] {
  return scoreHeader(type, header)
    .filter((c) => c.score >= SUGGESTION_THRESHOLD)
    .map((c) => {
      const verdict = e ? judge(c.field, e) : 'neutral';
      const rank = round(c.score + (CONTACT_FIELDS.has(c.field) ? blockBonus(block) : 0));
      // Agreeing values make the column surer, but do not reorder columns that all name the field:
      // "Primary Phone" with a few values still beats "Mobile Phone" with many.
      if (verdict === 'supports') {
        const score = Math.max(c.score, Math.min(MAX_SUGGESTED_CONFIDENCE, round(c.score + SUPPORT_BONUS)));
        return { field: c.field, score, rank, verdict };
      }
      if (verdict !== 'contradicts' || !e) return { field: c.field, score: c.score, rank, verdict };
      const low = Math.min(c.score, CONTRADICTED_CONFIDENCE);
      return { field: c.field, score: low, rank: low, verdict, warning: contradiction(header, c.field, e) };
    });
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Address columns of the blocks not taken lose their address fields. */
function keepOneAddressBlock(candidates: Candidate[][], blocks: readonly Block[]): Candidate[][] {
  const chosen = addressBlock(
    blocks,
    candidates.map((list) => list.some((c) => ADDRESS_FIELDS.has(c.field))),
  );
  return candidates.map((list, i) =>
    blocks[i] === chosen ? list : list.filter((c) => !ADDRESS_FIELDS.has(c.field)),
  );
}

/** Greedy by confidence (ties → leftmost column): a column that loses a field takes its next best free one. */
function assign(candidates: readonly Candidate[][], pinned: Picks, excluded: ReadonlySet<FieldKey>): Picks {
  const picks: Picks = [...pinned];
  const claimed = new Set(pinned.flatMap((p) => (p?.field ? [p.field] : [])));
  const options = candidates
    .flatMap((list, column) => list.map((c, order) => ({ ...c, column, order })))
    .filter((o) => !excluded.has(o.field))
    .sort((a, b) => b.rank - a.rank || a.column - b.column || a.order - b.order);
  for (const o of options) {
    if (picks[o.column] || claimed.has(o.field)) continue;
    picks[o.column] = pickOf(o);
    claimed.add(o.field);
  }
  return picks;
}

function pickOf(c: Candidate): Pick {
  const reason = c.verdict === 'supports' ? 'header+values' : 'header';
  return c.warning
    ? { field: c.field, confidence: c.score, reason, warning: c.warning }
    : { field: c.field, confidence: c.score, reason };
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
  picks[column] = { field: 'lastName', confidence: NAME_AS_SURNAME_CONFIDENCE, reason: 'header' };
}

/**
 * A column still unmapped whose header says nothing we can trust ("Column1", "", "Contact info" full of
 * e-mail addresses) takes the field its values point to, when that field is free; strongest values first.
 */
function fromValues(
  type: RecordType,
  picks: Picks,
  headers: readonly string[],
  candidates: readonly Candidate[][],
  evidence: readonly ColumnEvidence[],
): void {
  const options = headers
    .map((h, column) => {
      if (picks[column] || !headerIsSilent(h, candidates[column] ?? [])) return null;
      const e = evidence[column];
      const found = e ? fieldFromValues(type, e) : null;
      return found ? { ...found, column } : null;
    })
    .filter((o) => o !== null)
    .sort((a, b) => b.confidence - a.confidence || a.column - b.column);
  const named = hasField(picks, 'firstName') || hasField(picks, 'lastName');
  for (const o of options) {
    if (hasField(picks, o.field) || (o.field === 'fullName' && named)) continue;
    picks[o.column] = { field: o.field, confidence: o.confidence, reason: 'values' };
  }
}

/** No field the header names survives its values, and no word says the column is about something else. */
function headerIsSilent(header: string, candidates: readonly Candidate[]): boolean {
  if (candidates.some((c) => c.verdict !== 'contradicts')) return false;
  const words = normalizeHeader(header).split(' ');
  // "Owned By", "Referred By": someone else's name, not the record's.
  if (words.includes('by')) return false;
  return !words.some((w) => STRONG_PENALTY.has(w) || WEAK_PENALTY.has(w) || NEVER_PHONE.has(w));
}

/** "The column "Phone" holds e-mail addresses, not Phone values: check it." */
function contradiction(header: string, field: FieldKey, e: ColumnEvidence): string {
  const kind = dominantKind(e);
  const holds = kind ? describeKind(kind) : 'other values';
  const column = header.trim() === '' ? 'A column without a header' : `The column "${header.slice(0, 60)}"`;
  return `${column} holds ${holds}, not ${fieldDef(field).label} values: check it.`;
}
