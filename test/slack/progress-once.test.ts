import { ACTION } from '../../src/doors/slack/slack-ids';
import { Conversation, World, choose, mapping, press, share, startWorld } from './slack-world';

// A long progress interval, so clicks land inside it: the race is between the edit a run's ending
// waits to make and the next run (or the next events) of the same import.
let w: World;

beforeAll(async () => {
  w = await startWorld('slack_progress_once', { SLACK_PROGRESS_MS: '1500' });
});
afterAll(() => w.close());

const CSV = 'First Name,Email\nAna,ana@once.example.com\nBo,bo@once.example.com\n';

/**
 * Chooses the type and waits until the mapping is redrawn: a click is acknowledged before it is
 * handled, so a start pressed right after could otherwise be handled first, and the type change's
 * refusal would then take a place in the thread the test holds for the progress message.
 */
async function asClients(c: Conversation): Promise<void> {
  const before = w.slack.callsOf('chat.update').length;
  await choose(w, c, ACTION.type, `type|${c.importId}`, 'clients');
  await w.slack.waitFor('the mapping redrawn', () =>
    w.slack
      .callsOf('chat.update')
      .slice(before)
      .find((u) => u.args.ts === c.pages[0]),
  );
}

/** The progress messages posted in a channel, each with the text of its last edit. */
function progressIn(channel: string): { ts: string; first: string; last: string }[] {
  return w.slack
    .posted()
    .filter((p) => p.channel === channel && /^(Import|Dry run) (queued|running)/.test(p.text))
    .map((p) => {
      const edits = w.slack.callsOf('chat.update').filter((u) => u.args.ts === p.ts);
      const last = edits.length ? String(edits[edits.length - 1]!.args.text) : p.text;
      return { ts: p.ts, first: p.text, last };
    });
}

test('a dry run and "Run it for real" clicked within the interval each end their own one progress message', async () => {
  const s = await share(w, CSV);
  const c = await mapping(w, s);
  await asClients(c);
  await press(w, c, ACTION.dryRun);
  const summary = await w.slack.waitFor('the dry run summary', () =>
    w.slack.posted().find((p) => p.channel === s.channel && /^Dry run of/.test(p.text)),
  );
  // At once, while the dry run's bar may still wait for its last edit.
  await press(w, c, ACTION.runForReal, { messageTs: summary.ts });
  await w.slack.waitFor('both bars ended', () => {
    const bars = progressIn(s.channel);
    return (
      bars.length === 2 &&
      /^Dry run finished/.test(bars[0]!.last) &&
      /^Import finished: .*100% · 2 rows read: 2 imported/.test(bars[1]!.last) &&
      bars
    );
  });
  await w.slack.waitFor('the real summary', () =>
    w.slack.posted().find((p) => p.channel === s.channel && /finished: 2 rows read, 2 imported/.test(p.text)),
  );
  const bars = progressIn(s.channel);
  expect(bars.map((b) => b.first.split(':')[0])).toEqual(['Dry run queued', 'Import queued']);
  // No message of the thread but the real bar says the import finished at 100%.
  const finished = w.slack
    .posted()
    .filter((p) => p.channel === s.channel)
    .filter((p) => {
      const edits = w.slack.callsOf('chat.update').filter((u) => u.args.ts === p.ts);
      return [p.text, ...edits.map((u) => String(u.args.text))].some((t) =>
        /^Import finished: .*100%/.test(t),
      );
    });
  expect(finished.map((p) => p.ts)).toEqual([bars[1]!.ts]);
});

test('an import that ends while its progress message is being posted still shows its end', async () => {
  const s = await share(w, CSV.replace(/once/g, 'fast'));
  const c = await mapping(w, s);
  await asClients(c);
  // The start sentence is answered at once; the progress message only once the import has ended.
  w.slack.hold('chat.postMessage')();
  const releaseBar = w.slack.hold('chat.postMessage');
  await press(w, c, ACTION.start);
  await w.slack.waitFor('the summary, while the bar is being posted', () =>
    w.slack.posted().find((p) => p.channel === s.channel && /finished: 2 rows read, 2 imported/.test(p.text)),
  );
  releaseBar();
  await w.slack.waitFor('the bar ended', () => {
    const bars = progressIn(s.channel);
    return bars.length === 1 && /^Import finished: .*100%/.test(bars[0]!.last);
  });
  expect((await w.h.imports.get(w.h.workspaceId, c.importId)).status).toBe('completed');
});
