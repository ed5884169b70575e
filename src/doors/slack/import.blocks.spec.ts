import { expiryReason } from '../../core/lifecycle/retention';
import { START_MESSAGE } from '../../engine/imports/import-view';
import type { ImportView } from '../../engine/imports/import-view';
import { estimateRows, progressBar, progressMessage, startedMessage, summaryMessage } from './import.blocks';
import { ACTION } from './slack-ids';
import { offersFor } from '../../engine/conversation/offers';
import { importView } from '../../engine/conversation/import-view.fixture';

const base: ImportView = importView({
  id: 'imp_9',
  type: 'leads',
  status: 'running',
  channel: 'slack',
  fileName: 'leads.csv',
  fileBytes: 1000,
  columns: [
    { index: 0, header: 'Name', field: 'fullName', confidence: 1, samples: ['Ana Ruiz', 'Bo Li'] },
    { index: 1, header: 'Email', field: 'email', confidence: 1, samples: ['ana@x.io', 'bo@x.io'] },
  ],
  counts: { total: 10, imported: 8, updated: 1, unchanged: 0, skipped: 1, flagged: 2 },
  committedRow: 11,
  startedAt: new Date(0),
});

/** The view in another state, with the offers the conversation makes in it. */
const at = (over: Partial<ImportView>): ImportView => {
  const view = { ...base, ...over };
  return { ...view, actions: offersFor(view) };
};

describe('import messages', () => {
  it('start message is exactly the start sentence, with who started it', () => {
    expect(startedMessage('UALICE').text).toBe(START_MESSAGE);
    expect(JSON.stringify(startedMessage('UALICE').blocks)).toContain(START_MESSAGE);
    expect(JSON.stringify(startedMessage('UALICE').blocks)).toContain('<@UALICE> started it.');
    expect(JSON.stringify(startedMessage('UBOB', 'dry_run').blocks)).toContain('<@UBOB> started a dry run.');
  });

  it('progress: an estimated bar with counts, and a Cancel button while running', () => {
    const est = estimateRows(base)!;
    expect(est).toBeGreaterThan(10);
    const msg = progressMessage(at({}), est);
    expect(msg.text).toMatch(
      /running: .* about \d+% · 10 rows read: 8 imported, 1 updated, 0 unchanged, 1 skipped \(2 flagged\)/,
    );
    expect(JSON.stringify(msg.blocks)).toContain(ACTION.cancel);
    const done = progressMessage(at({ status: 'completed' }), est);
    expect(done.text).toContain('100%');
    expect(JSON.stringify(done.blocks)).not.toContain(ACTION.cancel);
    expect(progressBar(0.5)).toBe('▓'.repeat(10) + '░'.repeat(10));
  });

  it('a queued import says whether it waits for its file to be stored or for a worker', () => {
    const queued = { ...base, status: 'queued' as const };
    expect(progressMessage({ ...queued, fileStored: false }, null).text).toBe(
      'Import queued: storing the file first…',
    );
    expect(progressMessage(queued, null).text).toBe('Import queued: waiting for a worker…');
    const held = { ...queued, waiting: 'waiting for a free worker slot: all 2 are busy' };
    expect(progressMessage(held, null).text).toBe(
      'Import queued (waiting for a free worker slot: all 2 are busy)…',
    );
  });

  it('never shows 100% before the end, even when the estimate was low', () => {
    expect(progressMessage({ ...base, counts: { ...base.counts, total: 5000 } }, 10).text).toContain(
      'about 99%',
    );
  });

  it('summary of a completed import: counts, report note, undo hint', () => {
    const msg = summaryMessage(at({ status: 'completed' }), true);
    expect(msg.text).toBe(
      'Import of leads.csv finished: 10 rows read, 8 imported, 1 updated, 0 unchanged, 1 skipped, 2 flagged.',
    );
    expect(JSON.stringify(msg.blocks)).toContain('report below');
    expect(JSON.stringify(msg.blocks)).toContain('undo imp_9');
    expect(JSON.stringify(msg.blocks)).toContain(ACTION.undo);
  });

  it('summary names the top reasons of the skipped and the flagged rows', () => {
    const msg = summaryMessage(at({ status: 'completed' }), true, {
      skipped: [{ reason: 'invalid email', rows: 1 }],
      flagged: [{ reason: 'phone could not be parsed', rows: 2 }],
      sampled: false,
    });
    const blocks = JSON.stringify(msg.blocks);
    expect(blocks).toContain('Skipped: invalid email (1).');
    expect(blocks).toContain(
      'Flagged: 2 rows were imported with a warning, a value worth checking (kept as the file had it): phone could not be parsed (2).',
    );
    expect(blocks).toContain('each row imported with a warning is in the report below');
  });

  it('says what flagged means even without its reasons, and offers to update the rows that already existed', () => {
    const existing = { ...base.counts, existing: 1 };
    const msg = summaryMessage(at({ status: 'completed', counts: existing }), true, undefined, 1);
    const blocks = JSON.stringify(msg.blocks);
    expect(blocks).toContain('Flagged: 2 rows were imported with a warning, a value worth checking');
    expect(blocks).toContain('1 row was skipped because its record already exists.');
    expect(blocks).toContain(ACTION.updateExisting);
    expect(JSON.stringify(summaryMessage(at({ status: 'completed' }), true).blocks)).not.toContain(
      ACTION.updateExisting,
    );
  });

  it('summary of an import that linked contacts says how many companies it created and linked', () => {
    const counts = { ...base.counts, companiesCreated: 2, companiesLinked: 7 };
    const msg = summaryMessage(at({ status: 'completed', counts }), false);
    expect(msg.text).toContain('2 companies created, 7 contacts linked to their company.');
  });

  it('summary of a dry run: what would happen and a button to run it for real', () => {
    const msg = summaryMessage(at({ status: 'completed', dryRun: true }), false);
    expect(msg.text).toContain('nothing was written');
    expect(msg.text).toContain('would import 8, update 1, leave 0 unchanged and skip 1 of 10 rows');
    expect(JSON.stringify(msg.blocks)).toContain(ACTION.runForReal);
  });

  it('summary of a failed and of a cancelled import', () => {
    const failed = summaryMessage(
      at({ status: 'failed', error: { code: 'bad', message: 'Unreadable <bytes>.', row: 12 } }),
      false,
    );
    expect(failed.text).toContain('failed at row 12: Unreadable &lt;bytes&gt;.');
    const cancelled = summaryMessage(
      at({ status: 'cancelled', counts: { ...base.counts, total: 0, imported: 0, updated: 0 } }),
      false,
    );
    expect(cancelled.text).toBe('Import of leads.csv cancelled. Nothing was imported.');
    expect(JSON.stringify(cancelled.blocks)).not.toContain(ACTION.undo);
    // Cancelled mid-run: what the batch in flight wrote is told, and can be undone.
    const midRun = summaryMessage(
      at({
        status: 'cancelled',
        counts: { ...base.counts, total: 977, imported: 977, updated: 0, skipped: 0 },
      }),
      false,
    );
    expect(midRun.text).toContain('Before it stopped, 977 rows were read: 977 imported, 0 updated');
    expect(JSON.stringify(midRun.blocks)).toContain(ACTION.undo);
  });

  it('summary reasons add up to the skipped rows, the duplicates and the other reasons included', () => {
    const counts = { ...base.counts, total: 100, imported: 25, updated: 0, skipped: 75, flagged: 0 };
    const msg = summaryMessage(at({ status: 'completed', counts }), true, {
      skipped: [
        { reason: 'already exists', rows: 40 },
        { reason: 'invalid email', rows: 30 },
      ],
      flagged: [],
      sampled: false,
    });
    expect(JSON.stringify(msg.blocks)).toContain(
      'Skipped: already exists (40), invalid email (30), other reasons (5).',
    );
  });

  it('buttons come from the offers, named with their labels; destructive ones ask first', () => {
    const done = summaryMessage(at({ status: 'completed' }), true);
    const undo = JSON.stringify(done.blocks);
    expect(undo).toContain('"text":"Undo import"');
    expect(undo).toMatch(/"confirm":\{"title".*Undo the import of leads\.csv\?/);
    expect(undo).toContain('"text":"Download the report"');
    const running = JSON.stringify(progressMessage(at({ status: 'running' }), null).blocks);
    expect(running).toContain('"text":"Cancel import"');
    expect(running).toMatch(/"confirm":\{"title".*Stop the import of leads\.csv\?/);
    // Undo is not offered while it runs, so the bar has no Undo.
    expect(running).not.toContain(ACTION.undo);
  });

  it('summary of an import that expired waiting for its mapping', () => {
    const expired = summaryMessage(
      at({ status: 'cancelled', error: { code: 'expired', message: expiryReason(7) } }),
      false,
    );
    expect(expired.text).toBe(
      'Import of leads.csv expired. Nobody confirmed the mapping within 7 days, so nothing was imported ' +
        'and the file was deleted. To import it, send the file again.',
    );
  });
});
