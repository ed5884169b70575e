import type { ImportView } from '../imports/import-view';
import { readinessOf } from './readiness';
import { importView } from './import-view.fixture';

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
