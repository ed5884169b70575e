import { World, blockOf, mapping, share, startWorld } from './slack-world';

let w: World;

beforeAll(async () => {
  w = await startWorld('slack_warnings');
});
afterAll(() => w.close());

test('the mapping message in Slack marks the column its values contradict and says why', async () => {
  const csv =
    'Name,Phone,Email\nAna García,ana@example.com,ana@example.com\nBen Okafor,ben@example.com,ben@example.com\n';
  const c = await mapping(w, await share(w, csv, { name: 'warned.csv' }));
  const page = w.slack.posted().find((p) => p.ts === c.pages[0]);
  const phone = blockOf(JSON.parse(page!.blocksJson), `col|${c.importId}|1`);
  expect(phone?.text?.text).toContain(':warning: *Phone*');
  expect(phone?.text?.text).toContain(
    '_The column "Phone" holds e-mail addresses, not Phone values: check it._',
  );
  expect(phone?.accessory?.initial_option?.value).toBe('phone');
  const name = blockOf(JSON.parse(page!.blocksJson), `col|${c.importId}|0`);
  expect(name?.text?.text).not.toContain(':warning:');
});
