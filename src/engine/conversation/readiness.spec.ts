import type { ImportView } from '../imports/import-view';
import { readinessOf } from './readiness';

function view(overrides: Partial<ImportView> = {}): ImportView {
  return {
    id: 'imp_1',
    type: 'clients',
    status: 'awaiting_mapping',
    channel: 'email',
    fileName: 'people.csv',
    fileBytes: 100,
    fileStored: true,
    fileKept: true,
    history: [],
    actions: [],
    encoding: 'utf-8',
    delimiter: ',',
    mappingVersion: 0,
    columns: [
      { index: 0, header: 'Name', field: 'firstName', confidence: 0.95, samples: [] },
      { index: 1, header: 'Mail', field: 'email', confidence: 0.92, samples: [] },
    ],
    missingRequired: [],
    conflicts: [],
    onDuplicate: 'skip',
    dryRun: false,
    counts: { total: 0, imported: 0, updated: 0, unchanged: 0, skipped: 0, flagged: 0 },
    committedRow: 0,
    error: null,
    createdAt: new Date(0),
    startedAt: null,
    finishedAt: null,
    rollback: null,
    ...overrides,
  };
}

describe('ready to start?', () => {
  it('is ready, and certain, when every required field is mapped with high confidence', () => {
    expect(readinessOf(view())).toEqual({ ready: true, problems: [], certain: true });
  });

  it('is ready but not certain when a required field was only guessed', () => {
    const v = view();
    v.columns[1]!.confidence = 0.6;
    expect(readinessOf(v)).toMatchObject({ ready: true, certain: false });
  });

  it('names what is missing and which columns claim one field', () => {
    const v = view({
      missingRequired: ['email'],
      conflicts: [{ field: 'firstName', columns: [0, 1] }],
    });
    expect(readinessOf(v)).toEqual({
      ready: false,
      certain: false,
      problems: [
        { kind: 'missing', fields: ['email'] },
        { kind: 'conflict', field: 'firstName', headers: ['Name', 'Mail'] },
      ],
    });
  });

  it('a finished dry run is ready to run for real; a started import is not ready', () => {
    expect(readinessOf(view({ status: 'completed', dryRun: true })).ready).toBe(true);
    expect(readinessOf(view({ status: 'queued' })).ready).toBe(false);
  });
});
