import { ACTION } from '../../src/doors/slack/slack-ids';
import { reportText, waitForEnd } from '../support/intake-harness';
import { twoSheetBook } from '../support/workbooks';
import { World, blockOf, choose, mapping, press, share, startWorld } from './slack-world';

let w: World;

beforeAll(async () => {
  w = await startWorld('slack_workbooks');
});
afterAll(() => w.close());

test('a shared workbook shows its sheet and a sheet select; choosing another sheet reads it', async () => {
  const s = await share(w, await twoSheetBook(), {
    name: 'contacts.xlsx',
    file: { mimetype: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filetype: 'xlsx' },
  });
  const c = await mapping(w, s);
  const first = w.slack.posted().find((p) => p.ts === c.pages[0])!;
  expect(first.blocksJson).toContain('(sheet *Leads*)');
  const controls = blockOf(JSON.parse(first.blocksJson), `controls|${c.importId}`) as unknown as {
    elements: { action_id: string; options?: { value: string; text: { text: string } }[] }[];
  };
  const select = controls.elements.find((e) => e.action_id === ACTION.sheet);
  expect(select?.options?.map((o) => [o.value, o.text.text])).toEqual([
    ['1', 'Leads'],
    ['2', 'Clients'],
  ]);

  expect((await choose(w, c, ACTION.sheet, `controls|${c.importId}`, '2')).status).toBe(200);
  await w.slack.waitFor('the mapping of the other sheet', () =>
    w.slack
      .callsOf('chat.update')
      .find((u) => u.args.ts === c.pages[0] && JSON.stringify(u.args.blocks).includes('(sheet *Clients*)')),
  );
  const view = await w.h.imports.get(w.h.workspaceId, c.importId);
  expect(view.columns.map((col) => col.header)).toEqual(['First Name', 'Email', 'Phone', 'Notes']);

  await press(w, c, ACTION.start);
  const done = await waitForEnd(w.h, c.importId);
  expect(done.counts).toMatchObject({ total: 3, imported: 2, skipped: 1 });
  expect(await reportText(w.h, c.importId)).toContain('row (sheet: Clients),reason');
});
