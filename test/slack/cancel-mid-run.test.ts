import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { ACTION } from '../../src/doors/slack/slack-ids';
import { waitForEnd } from '../support/intake-harness';
import { World, choose, mapping, press, share, startWorld } from './slack-world';

// Small batches, so an import of many rows is still running when Cancel is pressed.
let w: World;

beforeAll(async () => {
  w = await startWorld('slack_cancel_mid_run', { INTAKE_BATCH_SIZE: '50', SLACK_PROGRESS_MS: '100' });
});
afterAll(() => w.close());

const ROWS = 20_000;

function bigCsv(): string {
  const lines = ['First Name,Email'];
  for (let i = 1; i <= ROWS; i++) lines.push(`Person ${i},p${i}@midrun.example.com`);
  return `${lines.join('\n')}\n`;
}

test('a cancel mid-run tells what was really written, the batch in flight included', async () => {
  const s = await share(w, bigCsv(), { name: 'midrun.csv' });
  const c = await mapping(w, s);
  await choose(w, c, ACTION.type, `type|${c.importId}`, 'clients');
  await press(w, c, ACTION.start);
  // Cancel once rows have been written: the bar says so.
  await w.slack.waitFor('the bar showing written rows', () =>
    w.slack
      .callsOf('chat.update')
      .find((u) => /^Import running: .* [1-9][\d,]* rows read/.test(String(u.args.text))),
  );
  await press(w, c, ACTION.cancel);
  const view = await waitForEnd(w.h, c.importId);
  expect(view.status).toBe('cancelled');
  const db = w.h.app.context.get<Connection>(getConnectionToken()).db!;
  const written = await db.collection('records').countDocuments({ importId: c.importId });
  expect(written).toBeGreaterThan(0);
  expect(written).toBeLessThan(ROWS);
  expect(view.counts.imported).toBe(written);
  expect(view.counts.total).toBe(written);

  const n = (x: number) => x.toLocaleString('en-US');
  const summary = await w.slack.waitFor('the cancel summary', () =>
    w.slack.posted().find((p) => p.channel === s.channel && /midrun\.csv cancelled/.test(p.text)),
  );
  expect(summary.text).toContain(
    `Before it stopped, ${n(written)} rows were read: ${n(written)} imported, 0 updated, 0 unchanged, 0 skipped, 0 flagged.`,
  );
  expect(summary.blocksJson).toContain(ACTION.undo);
  const bar = w.slack.posted().find((p) => p.channel === s.channel && /^Import queued/.test(p.text))!;
  await w.slack.waitFor('the bar ended cancelled, with the same counts', () =>
    w.slack
      .callsOf('chat.update')
      .find(
        (u) =>
          u.args.ts === bar.ts &&
          String(u.args.text).startsWith(
            `Import cancelled · ${n(written)} rows read: ${n(written)} imported`,
          ),
      ),
  );
});
