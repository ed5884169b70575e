import type { ImportView } from '../../engine/imports/import-view';
import { expiryReason } from '../../core/lifecycle/retention';
import { howToBody, proposalBody, summaryBody } from './mail-render';

const view = (over: Partial<ImportView> = {}): ImportView =>
  ({
    id: 'imp_1',
    type: 'clients',
    status: 'awaiting_mapping',
    channel: 'email',
    fileName: 'people.csv',
    fileBytes: 100,
    encoding: 'utf-8',
    delimiter: ',',
    columns: [
      { index: 0, header: 'fname', field: 'firstName', confidence: 0.97, samples: ['Ana', 'Bob'] },
      { index: 1, header: 'Mobile #', field: null, confidence: 0, samples: ['+34 612', ''] },
      { index: 2, header: '<b>x</b>', field: 'notes', confidence: 0.7, samples: ['a & b'] },
    ],
    missingRequired: ['email'],
    conflicts: [],
    onDuplicate: 'skip',
    dryRun: false,
    counts: { total: 3, imported: 1, updated: 0, skipped: 2, flagged: 0 },
    committedRow: 0,
    error: null,
    createdAt: new Date(),
    startedAt: null,
    finishedAt: null,
    rollback: null,
    ...over,
  }) as ImportView;

describe('mail bodies', () => {
  it("adds a column's warning below the mapping, in text and escaped in HTML", () => {
    const warned = {
      index: 0,
      header: 'Phone',
      field: 'phone' as const,
      confidence: 0.4,
      samples: ['a@b.example'],
    };
    const body = proposalBody({
      views: [view({ columns: [{ ...warned, warning: 'The column "Phone" holds e-mail addresses <b>' }] })],
      rejected: [],
    });
    expect(body.text).toContain('The column "Phone" holds e-mail addresses <b>');
    expect(body.html).toContain('The column &quot;Phone&quot; holds e-mail addresses &lt;b&gt;');
  });

  it('shows the mapping as a table with samples, what is missing and how to answer', () => {
    const body = proposalBody({
      views: [view()],
      rejected: [{ fileName: 'b.csv', message: 'It is binary.' }],
    });
    expect(body.text).toMatch(/fname\s+First Name\s+97%\s+Ana, Bob/);
    expect(body.text).toMatch(/Mobile #\s+\(not imported\)\s+\+34 612/);
    expect(body.text).toContain('Missing required: Email.');
    expect(body.text).toContain('b.csv was not imported: It is binary.');
    expect(body.text).toContain('Phone = Mobile number');
    expect(body.html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(body.html).toContain('a &amp; b');
  });
  it('explains winmail.dat', () => {
    expect(howToBody('leads', 'leads@import.test', 'tnef').text).toContain('winmail.dat');
  });
  it('summarises counts, and a dry run says nothing was written', () => {
    const done = summaryBody(view({ status: 'completed', dryRun: true }), true);
    expect(done.text).toContain('nothing was written');
    expect(done.text).toContain('Skipped:    2');
    expect(done.text).toContain('reply "yes"');
  });
  it('says an expired import waited for a mapping nobody confirmed, and how to import it anyway', () => {
    const expired = summaryBody(
      view({
        status: 'cancelled',
        error: { code: 'expired', message: expiryReason(7) },
      }),
      false,
    );
    expect(expired.text).toContain('expired. Nobody confirmed the mapping within 7 days');
    expect(expired.text).toContain('To import it, send the file again.');
    expect(expired.text).not.toContain('Rows read');
  });
});
