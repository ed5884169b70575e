import type { ImportView } from '../../engine/imports/import-view';
import { LIMITS } from '../../protocols/slack/block-kit';
import {
  canUndo,
  cannotUndoMessage,
  helpMessage,
  statusDetailMessage,
  statusListMessage,
  undoConfirmMessage,
} from './command.blocks';
import { ACTION } from './slack-ids';
import { offersFor } from '../../engine/conversation/offers';
import { importView } from '../../engine/conversation/import-view.fixture';

const offered = (view: ImportView): ImportView => ({ ...view, actions: offersFor(view) });

const v = (i: number): ImportView =>
  importView({
    id: `imp_${i}`,
    status: 'completed',
    fileName: `file-${i}.csv`,
    fileBytes: 10,
    counts: { total: 3, imported: 2, updated: 0, unchanged: 0, skipped: 1, flagged: 0 },
    committedRow: 4,
  });

describe('command messages', () => {
  it('status of a queued import says what holds it back', () => {
    const waiting = {
      ...v(1),
      status: 'queued' as const,
      waiting: 'waiting: 2 imports of this workspace are running',
    };
    expect(JSON.stringify(statusDetailMessage(waiting).blocks)).toContain(
      'Status: *queued* (waiting: 2 imports of this workspace are running)',
    );
  });

  it('offers undo only for an import that ended and wrote records; says why not otherwise', () => {
    const running = { ...v(1), status: 'running' } as ImportView;
    expect(canUndo(offered(running))).toBe(false);
    expect(cannotUndoMessage(running).text).toContain('undo is possible once it has ended');
    expect(canUndo(offered({ ...v(1), status: 'completed' }))).toBe(true);
    expect(canUndo(offered({ ...v(1), status: 'completed', dryRun: true }))).toBe(false);
    const undone = {
      ...v(1),
      status: 'rolled_back' as const,
      rollback: { deleted: 2, restored: 0, kept: 0, at: new Date(0) },
      history: [{ act: 'undo' as const, door: 'slack' as const, person: 'UBOB', at: new Date(0) }],
    };
    expect(canUndo(offered(undone))).toBe(false);
    expect(cannotUndoMessage(undone).text).toBe(
      'Import `imp_1` was already undone by <@UBOB>: 2 records deleted, 0 restored, 0 kept (changed since). Nothing was done again.',
    );
  });

  it("status lines carry the date, in the reader's time zone", () => {
    const text = JSON.stringify(
      statusListMessage([{ ...v(1), createdAt: new Date('2026-11-26T09:00:00Z') } as ImportView]).blocks,
    );
    expect(text).toContain('<!date^1795683600^{date_short} {time}|2026-11-26 09:00 UTC>');
  });

  it('folds proposals awaiting their mapping into one line, below the imports', () => {
    const waiting = [1, 2, 3, 4, 5].map(
      (i) =>
        ({
          ...v(i),
          status: 'awaiting_mapping',
          createdAt: new Date(`2026-11-2${6 - i}T09:00:00Z`),
        }) as ImportView,
    );
    const msg = statusListMessage([waiting[0]!, v(10), ...waiting.slice(1), v(11)]);
    const text = JSON.stringify(msg.blocks);
    expect(msg.text).toBe('Recent imports: 2');
    expect(text).toContain('`imp_10`');
    expect(text).toContain(
      '_Waiting for a mapping: 5_ (`imp_1` file-1.csv, `imp_2` file-2.csv, `imp_3` file-3.csv, and 2 more',
    );
    expect(text).toContain('2026-11-21 09:00 UTC');
    expect(text).not.toContain('`imp_4`');
  });

  it('says which word it did not understand, and the command it probably meant', () => {
    const typo = helpMessage('/intake', 'templates');
    expect(typo.text).toContain('I did not understand "templates"');
    expect(JSON.stringify(typo.blocks)).toContain('did you mean `/intake template`?');
    expect(JSON.stringify(helpMessage('/intake', 'xyzzy').blocks)).toContain('I did not understand `xyzzy`.');
    expect(helpMessage('/intake').text).toBe('How to import a file with Intake');
  });

  it('help names the command and every sub-command', () => {
    const text = JSON.stringify(helpMessage('/imports').blocks);
    for (const s of [
      '/imports template <type>',
      '/imports status [id]',
      '/imports undo <id>',
      '/imports help',
    ]) {
      expect(text).toContain(s);
    }
  });

  it('status lists imports within the text and block limits', () => {
    const msg = statusListMessage(Array.from({ length: 100 }, (_, i) => v(i)));
    expect(msg.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
    for (const b of msg.blocks as { text?: { text: string } }[]) {
      expect(b.text!.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    }
    expect(JSON.stringify(msg.blocks)).toContain('imp_99');
    expect(statusListMessage([]).text).toBe('No imports yet.');
  });

  it('status of one import shows its counts', () => {
    expect(JSON.stringify(statusDetailMessage(v(1)).blocks)).toContain('imported 2');
  });

  it('undo asks with a confirm button carrying the import id', () => {
    const blocks = JSON.stringify(undoConfirmMessage(v(7)).blocks);
    expect(blocks).toContain(ACTION.undoConfirm);
    expect(blocks).toContain('"value":"imp_7"');
  });
});
