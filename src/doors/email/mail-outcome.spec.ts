import type { ImportView } from '../../engine/imports/import-view';
import { expiryReason } from '../../core/lifecycle/retention';
import { summaryBody } from './mail-outcome';
import { offeredView } from '../../engine/conversation/import-view.fixture';

/** An import that has ended: what its summary reads (a file, its counts, how it ended). */
const ended = (over: Partial<ImportView>): ImportView =>
  offeredView({
    channel: 'email',
    counts: { total: 3, imported: 1, updated: 0, unchanged: 0, skipped: 2, flagged: 0 },
    ...over,
  });
describe('summaryBody', () => {
  it('summarises counts, and a dry run says nothing was written', () => {
    const done = summaryBody(ended({ status: 'completed', dryRun: true }));
    expect(done.text).toContain('nothing was written');
    expect(done.text).toContain('Skipped:    2');
    expect(done.text).toContain('reply "yes"');
  });

  it('leads somewhere: how many already existed and the reply that updates them, and the reply that undoes', () => {
    const done = summaryBody(
      ended({
        status: 'completed',
        counts: { total: 3, imported: 1, updated: 0, unchanged: 0, skipped: 2, flagged: 0, existing: 2 },
      }),
    );
    expect(done.text).toContain(
      '2 rows were skipped because their records already exist. To update them with the values of this file, reply "duplicates: update".',
    );
    expect(done.text).toContain('To undo this import (delete the 1 records it created), reply "undo".');
    expect(done.text).not.toContain('reply "yes"');
  });

  it('says an expired import waited for a mapping nobody confirmed, and how to import it anyway', () => {
    const expired = summaryBody(
      ended({
        status: 'cancelled',
        error: { code: 'expired', message: expiryReason(7) },
      }),
    );
    expect(expired.text).toContain('expired. Nobody confirmed the mapping within 7 days');
    expect(expired.text).toContain('To import it, send the file again.');
    expect(expired.text).not.toContain('Rows read');
  });
});
