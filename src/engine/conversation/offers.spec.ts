import type { ImportView } from '../imports/import-view';
import { offersFor } from './offers';
import { OTHER_REASONS, outcomeOf } from './outcome';
import { importView, NO_COUNTS } from './import-view.fixture';

function view(overrides: Partial<ImportView> = {}): ImportView {
  return importView({
    channel: 'email',
    columns: [
      { index: 0, header: 'Name', field: 'firstName', confidence: 0.95, samples: [] },
      { index: 1, header: 'Mail', field: 'email', confidence: 0.92, samples: [] },
    ],
    ...overrides,
  });
}

const kinds = (v: ImportView) => offersFor(v).map((o) => o.kind);

describe('the offers of an import', () => {
  it('awaiting its mapping: start, dry run, the type, the columns and cancel; the sheet for a workbook', () => {
    expect(kinds(view())).toEqual(['start', 'dry_run', 'change_type', 'change_columns', 'cancel']);
    expect(kinds(view({ sheets: ['Clients', 'Leads'] }))).toContain('choose_sheet');
    const type = offersFor(view()).find((o) => o.kind === 'change_type');
    expect(type?.choices).toEqual(['leads', 'companies']);
  });

  it('does not offer a start while a required field is missing', () => {
    expect(kinds(view({ missingRequired: ['email'] }))).toEqual(['change_type', 'change_columns', 'cancel']);
  });

  it('offers undo after an import that only updated records, as after one that created them', () => {
    const updated = view({ status: 'completed', counts: { ...NO_COUNTS, total: 2, updated: 2 } });
    expect(kinds(updated)).toContain('undo');
    const created = view({ status: 'completed', counts: { ...NO_COUNTS, total: 2, imported: 2 } });
    expect(kinds(created)).toContain('undo');
    const nothing = view({ status: 'completed', counts: { ...NO_COUNTS, total: 2, unchanged: 2 } });
    expect(kinds(nothing)).not.toContain('undo');
  });

  it('a dry run offers to run it for real, never undo', () => {
    const dry = view({ status: 'completed', dryRun: true, counts: { ...NO_COUNTS, total: 3, imported: 3 } });
    expect(kinds(dry)).toEqual(['run_for_real']);
    expect(kinds({ ...dry, fileKept: false })).toEqual([]);
  });

  it('offers to update the existing records when rows were skipped because they existed', () => {
    const v = view({
      status: 'completed',
      counts: { ...NO_COUNTS, total: 5, imported: 3, skipped: 2, existing: 2 },
    });
    expect(kinds(v)).toEqual(['undo', 'update_existing', 'download_report']);
    expect(kinds({ ...v, onDuplicate: 'update' })).not.toContain('update_existing');
  });

  it('asks first before the destructive ones', () => {
    const v = view({ status: 'completed', counts: { ...NO_COUNTS, total: 1, imported: 1 } });
    expect(offersFor(v).find((o) => o.kind === 'undo')?.confirm).toMatch(/^Undo the import of people\.csv\?/);
    expect(offersFor(view({ status: 'running' })).map((o) => [o.kind, !!o.confirm])).toEqual([
      ['cancel', true],
    ]);
  });

  it('a failed import can be retried while its file is kept, and a half-done rollback finished', () => {
    expect(kinds(view({ status: 'failed' }))).toEqual(['retry']);
    expect(kinds(view({ status: 'failed', fileKept: false }))).toEqual([]);
    expect(kinds(view({ status: 'rolling_back' }))).toEqual(['undo']);
    expect(kinds(view({ status: 'rolled_back', counts: { ...NO_COUNTS, imported: 4 } }))).toEqual([]);
  });
});

describe('the outcome of an import', () => {
  it('its skipped reasons add up to the skipped rows, the rest as other reasons', () => {
    const v = view({ status: 'completed', counts: { ...NO_COUNTS, total: 80, imported: 5, skipped: 75 } });
    const out = outcomeOf(v, {
      skipped: [
        { reason: 'invalid email', rows: 40 },
        { reason: 'missing required field Email', rows: 20 },
        { reason: 'already exists', rows: 10 },
      ],
      flagged: [],
      sampled: false,
    });
    expect(out.skipped.reduce((s, r) => s + r.rows, 0)).toBe(75);
    expect(out.skipped[3]).toEqual({ reason: OTHER_REASONS, rows: 5 });
  });

  it('a dry run says it wrote nothing and how to run it for real', () => {
    const out = outcomeOf(
      view({ status: 'completed', dryRun: true, counts: { ...NO_COUNTS, total: 3, imported: 3 } }),
    );
    expect(out.kind).toBe('dry_run');
    expect(out.headline).toMatch(/nothing was written/);
    expect(out.headline).toMatch(/Run it for real/);
  });

  it('an undone import tells what the undo did', () => {
    const out = outcomeOf(
      view({
        status: 'rolled_back',
        counts: { ...NO_COUNTS, total: 3, updated: 3 },
        rollback: { deleted: 0, restored: 3, kept: 0, at: new Date(0) },
      }),
    );
    expect(out.kind).toBe('rolled_back');
    expect(out.headline).toBe(
      'Import of people.csv undone: 0 records deleted, 3 restored, 0 kept (changed since).',
    );
  });
});
