import type { ImportView } from '../../engine/imports/import-view';
import { barPosition, formatMapping, formatSummary } from './cli-output';
import { importView } from '../../engine/conversation/import-view.fixture';

const queued: ImportView = importView({ status: 'queued', channel: 'cli', fileBytes: 10 });

describe('formatSummary', () => {
  it('says what holds a queued import back', () => {
    const text = formatSummary(
      { ...queued, waiting: 'waiting: 2 imports of this workspace are running' },
      null,
    );
    expect(text.split('\n')[0]).toBe(
      'Import imp_1 queued (waiting: 2 imports of this workspace are running)',
    );
  });

  it('says only the status when nothing holds it back', () => {
    expect(formatSummary({ ...queued, waiting: null }, null).split('\n')[0]).toBe('Import imp_1 queued');
  });
});

describe('barPosition', () => {
  const counts = { total: 10, imported: 10, updated: 0, unchanged: 0, skipped: 0, flagged: 0 };
  it('ends at the rows really read, whatever the estimate was', () => {
    expect(barPosition({ status: 'completed', counts }, 48)).toEqual({ value: 10, total: 10 });
  });
  it('runs against the estimate while the import runs, never past its end', () => {
    expect(barPosition({ status: 'running', counts }, 48)).toEqual({ value: 10, total: 48 });
    expect(barPosition({ status: 'running', counts: { ...counts, total: 60 } }, 48)).toEqual({
      value: 60,
      total: 61,
    });
  });
});

describe('formatMapping', () => {
  it('names a custom field by its key', () => {
    const column = {
      index: 0,
      header: 'Birthday',
      field: 'custom.birthday' as const,
      confidence: 1,
      samples: [],
    };
    expect(formatMapping({ ...queued, columns: [column] })).toContain(
      'Birthday  →  Custom: birthday (custom.birthday)',
    );
  });
});
