import { ACTION } from '../../src/doors/slack/slack-ids';
import { World, mapping, press, share, startWorld } from './slack-world';

let w: World;

beforeAll(async () => {
  w = await startWorld('slack_empty_columns');
});
afterAll(() => w.close());

/** A 60-column export: 10 columns with values, 50 always empty. */
function wideExport(): string {
  const filled = [
    'First Name',
    'Last Name',
    'Email',
    'Phone',
    'Company',
    'City',
    'Country',
    'Title',
    'Notes',
    'Tags',
  ];
  const empty = Array.from({ length: 50 }, (_, i) => `Custom ${i + 1}`);
  const rows = [1, 2, 3].map((n) =>
    [
      `Ana${n}`,
      'García',
      `ana${n}@empty.example.com`,
      '+34 600 000 00' + n,
      'Acme',
      'Madrid',
      'ES',
      'CTO',
      'x',
      'vip',
    ]
      .concat(empty.map(() => ''))
      .join(','),
  );
  return `${[...filled, ...empty].join(',')}\n${rows.join('\n')}\n`;
}

test('a 60-column export with 50 empty columns fits one message, and the empty ones are shown on request', async () => {
  const s = await share(w, wideExport(), { name: 'wide.csv' });
  const c = await mapping(w, s);
  expect(c.pages).toHaveLength(1);
  const page = w.slack.posted().find((p) => p.ts === c.pages[0])!;
  expect(page.blocksJson).toContain('*50 empty columns*, not imported (no value in the rows I sampled).');
  expect(page.blocksJson).toContain(`col|${c.importId}|9`);
  expect(page.blocksJson).not.toContain(`col|${c.importId}|10"`);

  await press(w, c, ACTION.showEmpty, { messageTs: c.pages[0] });
  const shown = await w.slack.waitFor('the empty columns, told to the clicker', () =>
    w.slack
      .ephemerals()
      .find((e) => e.channel === s.channel && /with no value in the rows I sampled/.test(e.text)),
  );
  expect(shown.text).toContain('The 50 columns of wide.csv');
  expect(shown.text).toContain('Custom 1, Custom 2');
  expect(shown.text).toContain('Custom 50.');
  // Nothing changed: the import still waits for its mapping, with every column kept.
  const view = await w.h.imports.get(w.h.workspaceId, c.importId);
  expect(view.status).toBe('awaiting_mapping');
  expect(view.columns.filter((col) => col.empty)).toHaveLength(50);
});
