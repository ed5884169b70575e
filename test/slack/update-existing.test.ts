import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { ACTION } from '../../src/doors/slack/slack-ids';
import { Conversation, World, choose, mapping, press, share, startWorld } from './slack-world';

let w: World;

beforeAll(async () => {
  w = await startWorld('slack_update_existing');
});
afterAll(() => w.close());

async function imported(csv: string, name: string): Promise<Conversation> {
  const c = await mapping(w, await share(w, csv, { name }));
  await choose(w, c, ACTION.type, `type|${c.importId}`, 'clients');
  await press(w, c, ACTION.start);
  return c;
}

function summaryIn(c: Conversation, pattern: RegExp) {
  return w.slack.waitFor(`a summary matching ${pattern}`, () =>
    w.slack.posted().find((p) => p.thread === c.threadTs && pattern.test(p.text)),
  );
}

test('"Update existing records" imports the file again updating what existed, once, in the same thread', async () => {
  const first = await imported('First Name,Email\nAna,ana@upd.example.com\nBo,bo@upd.example.com\n', 'a.csv');
  await summaryIn(first, /finished: 2 rows read, 2 imported/);
  const second = await imported(
    'First Name,Email\nAnabel,ana@upd.example.com\nBo,bo@upd.example.com\nCy,cy@upd.example.com\n',
    'b.csv',
  );
  const summary = await summaryIn(
    second,
    /finished: 3 rows read, 1 imported, 0 updated, 0 unchanged, 2 skipped/,
  );
  expect(summary.blocksJson).toContain('2 rows were skipped because their records already exist.');
  expect(summary.blocksJson).toContain(ACTION.updateExisting);
  const firstSummary = w.slack.posted().find((p) => p.thread === first.threadTs && /finished/.test(p.text));
  expect(firstSummary?.blocksJson).not.toContain(ACTION.updateExisting);

  await press(w, second, ACTION.updateExisting, { messageTs: summary.ts });
  const updated = await summaryIn(
    second,
    /finished: 3 rows read, 0 imported, 1 updated, 2 unchanged, 0 skipped/,
  );
  expect(updated.blocksJson).not.toContain(ACTION.updateExisting);
  const db = w.h.app.context.get<Connection>(getConnectionToken()).db!;
  const ana = await db.collection('records').findOne({ key: { $regex: 'ana@upd\\.example\\.com' } });
  expect(JSON.stringify(ana?.fields)).toContain('Anabel');

  // A second click starts nothing more: that person alone is told it is under way.
  await press(w, second, ACTION.updateExisting, { messageTs: summary.ts });
  await w.slack.waitFor('the answer to the second click', () =>
    w.slack.ephemerals().find((e) => /already being updated/.test(e.text)),
  );
  const ofB = (await w.h.imports.list(w.h.workspaceId, 100)).filter((i) => i.fileName === 'b.csv');
  expect(ofB).toHaveLength(2);
});

test('an update whose file is gone says so in the thread, starts nothing and can be asked again', async () => {
  const first = await imported('First Name,Email\nDe,de@gone.example.com\n', 'c.csv');
  await summaryIn(first, /finished: 1 rows read, 1 imported/);
  const second = await imported('First Name,Email\nDee,de@gone.example.com\n', 'd.csv');
  const summary = await summaryIn(
    second,
    /finished: 1 rows read, 0 imported, 0 updated, 0 unchanged, 1 skipped/,
  );
  expect(summary.blocksJson).toContain(ACTION.updateExisting);
  const db = w.h.app.context.get<Connection>(getConnectionToken()).db!;
  await db
    .collection('imports')
    .updateOne({ _id: second.importId } as never, { $set: { fileDeletedAt: new Date() } });

  for (const attempt of [1, 2]) {
    await press(w, second, ACTION.updateExisting, { messageTs: summary.ts });
    await w.slack.waitFor(`the answer to attempt ${attempt}`, () => {
      const notes = w.slack
        .posted()
        .filter((p) => p.thread === second.threadTs && /was deleted/.test(p.text));
      return notes.length === attempt;
    });
  }
  expect(w.slack.ephemerals().filter((e) => /already being updated/.test(e.text))).toHaveLength(1);
  const ofD = (await w.h.imports.list(w.h.workspaceId, 100)).filter((i) => i.fileName === 'd.csv');
  expect(ofD).toHaveLength(1);
});
