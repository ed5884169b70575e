import type { ImportView } from '../../engine/imports/import-view';
import { notTakenText, proposalBody } from './mail-proposal';
import { offeredView } from '../../engine/conversation/import-view.fixture';

const view = (over: Partial<ImportView> = {}): ImportView =>
  offeredView({
    channel: 'email',
    columns: [
      { index: 0, header: 'fname', field: 'firstName', confidence: 0.97, samples: ['Ana', 'Bob'] },
      { index: 1, header: 'Mobile #', field: null, confidence: 0, samples: ['+34 612', ''] },
      { index: 2, header: '<b>x</b>', field: 'notes', confidence: 0.7, samples: ['a & b'] },
    ],
    missingRequired: ['email'],
    counts: { total: 3, imported: 1, updated: 0, unchanged: 0, skipped: 2, flagged: 0 },
    createdAt: new Date(),
    ...over,
  });

describe('proposalBody', () => {
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
    // Email is missing, so "yes" could not start: the answer names the reply that fixes it instead.
    expect(body.text).toContain('reply "Email = Mobile #"');
    expect(body.text).not.toContain('reply "yes"');
    expect(body.html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(body.html).toContain('a &amp; b');
  });

  it('keeps the proposal of the widest file accepted (500 columns) readable: one short line per column', () => {
    const columns = Array.from({ length: 500 }, (_, i) => ({
      index: i,
      header: `${'H'.repeat(200)} ${i}`,
      field: null,
      confidence: 0,
      samples: ['s'.repeat(300), 't'.repeat(300), 'u'.repeat(300)],
    }));
    const body = proposalBody({ views: [view({ columns })], rejected: [] });
    const lines = body.text.split('\n');
    expect(lines.filter((l) => l.startsWith('H'))).toHaveLength(500);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(160);
    expect(body.text.length + body.html.length).toBeLessThan(300_000);
  });
});

describe('notTakenText', () => {
  it('says nothing when every file was taken', () => {
    expect(notTakenText({ names: [], count: 0 }, 10)).toEqual([]);
  });

  it('names the files left out and what to do', () => {
    expect(notTakenText({ names: ['b.csv', 'c.csv'], count: 2 }, 10)).toEqual([
      'I take at most 10 CSV files from one message, so these 2 files were not imported: b.csv, c.csv. ' +
        'Send them again in other messages, 10 at most in each.',
    ]);
    expect(notTakenText({ names: ['b.csv'], count: 1 }, 1)[0]).toContain(
      'so this file was not imported: b.csv.',
    );
  });

  it('counts the ones it does not name', () => {
    expect(notTakenText({ names: ['a.csv', 'b.csv'], count: 490 }, 10)[0]).toContain(
      'these 490 files were not imported: a.csv, b.csv and 488 more.',
    );
  });

  it('puts the sentence into the proposal, after the files it read', () => {
    const body = proposalBody({
      views: [],
      rejected: [],
      notTaken: { files: { names: ['x.csv'], count: 1 }, max: 3 },
    });
    expect(body.text).toContain('so this file was not imported: x.csv.');
    expect(body.html).toContain('x.csv');
  });
});
