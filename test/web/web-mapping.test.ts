import type { Column, Field, ImportView } from '../../web/src/types';
import {
  changesFor,
  countsLine,
  fieldRows,
  missingSentence,
  progressOf,
  shownFields,
  unmappedColumns,
} from '../../web/src/mapping';

// The page's pure helpers (no browser, no services): what each select change sends, and the bar.
const fields: Field[] = [
  { key: 'firstName', label: 'First Name', required: true },
  { key: 'email', label: 'Email', required: true },
  { key: 'company', label: 'Company', required: false },
];
const col = (index: number, header: string, field: string | null, samples = ['a', 'b']): Column => ({
  index,
  header,
  field,
  confidence: 0.9,
  samples,
});

test('one row per system field, fed by the first column that claims it', () => {
  const rows = fieldRows(fields, [
    col(0, 'Name', 'firstName'),
    col(1, 'Org', 'company'),
    col(2, 'Co', 'company'),
  ]);
  expect(rows.map((r) => [r.field.key, r.column?.header ?? null])).toEqual([
    ['firstName', 'Name'],
    ['email', null],
    ['company', 'Org'],
  ]);
});

test("choosing a column for a field takes the field from every other column; Don't import clears it", () => {
  const columns = [col(0, 'Name', 'firstName'), col(1, 'Org', 'company'), col(2, 'Co', 'company')];
  expect(changesFor(columns, 'company', 2)).toEqual([
    { index: 1, field: null },
    { index: 2, field: 'company' },
  ]);
  expect(changesFor(columns, 'company', null)).toEqual([
    { index: 1, field: null },
    { index: 2, field: null },
  ]);
  expect(changesFor(columns, 'email', 1)).toEqual([{ index: 1, field: 'email' }]);
});

test('a column kept as a custom field the workspace does not have yet gets its own row', () => {
  const known = [...fields, { key: 'custom.tier', label: 'Tier', required: false, custom: true }];
  const columns = [col(0, 'Name', 'firstName'), col(1, 'Birthday', 'custom.birthday'), col(2, 'Tier', null)];
  expect(shownFields(known, columns).map((f) => [f.key, f.label])).toEqual([
    ['firstName', 'First Name'],
    ['email', 'Email'],
    ['company', 'Company'],
    ['custom.tier', 'Tier'],
    ['custom.birthday', 'Birthday'],
  ]);
  expect(unmappedColumns(columns).map((c) => c.header)).toEqual(['Tier']);
});

test('the missing required fields are named by their labels', () => {
  expect(missingSentence(fields, [])).toBe('Every required field is mapped.');
  expect(missingSentence(fields, ['email'])).toBe('Required field not mapped: Email.');
  expect(missingSentence(fields, ['firstName', 'email'])).toBe(
    'Required fields not mapped: First Name, Email.',
  );
});

function view(over: Partial<ImportView>): ImportView {
  return {
    id: 'imp_1',
    type: 'clients',
    status: 'running',
    channel: 'api',
    fileName: 'f.csv',
    fileBytes: 10_000,
    fileStored: true,
    columns: [col(0, 'A', 'firstName', ['abcd', 'abcd']), col(1, 'B', 'email', ['abcd', 'abcd'])],
    mappingVersion: 0,
    missingRequired: [],
    conflicts: [],
    onDuplicate: 'skip',
    dryRun: false,
    counts: { total: 0, imported: 0, updated: 0, unchanged: 0, skipped: 0, flagged: 0 },
    committedRow: 0,
    error: null,
    createdAt: '2026-01-01T00:00:00Z',
    startedAt: null,
    finishedAt: null,
    rollback: null,
    fileKept: true,
    history: [],
    actions: [],
    ...over,
  };
}

test('progress is estimated from the file size and the sample rows, and is full only when done', () => {
  // Sample rows are 10 bytes each ("abcd," twice): about 1,000 rows in 10,000 bytes.
  expect(progressOf(view({ committedRow: 0 }))).toBe(0);
  expect(progressOf(view({ committedRow: 250 }))).toBeCloseTo(0.25);
  expect(progressOf(view({ committedRow: 5000 }))).toBe(0.99);
  expect(progressOf(view({ status: 'completed', committedRow: 3 }))).toBe(1);
});

test('a dry run says what would happen', () => {
  const c = { total: 3, imported: 2, updated: 0, unchanged: 0, skipped: 1, flagged: 0 };
  expect(countsLine(c, false)).toBe('3 rows read, 2 imported, 0 updated, 0 unchanged, 1 skipped, 0 flagged');
  expect(countsLine(c, true)).toBe(
    '3 rows read, 2 would be imported, 0 would be updated, 0 unchanged, 1 would be skipped, 0 flagged',
  );
});
