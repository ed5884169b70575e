import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { ACTION } from '../../src/doors/slack/slack-ids';
import { waitForEnd } from '../support/intake-harness';
import { World, blockOf, choose, mapping, press, share, startWorld } from './slack-world';

let w: World;

beforeAll(async () => {
  w = await startWorld('slack_custom_fields');
});
afterAll(() => w.close());

test('"Keep as custom field" in a column\'s select keeps it on the records, and the select shows it', async () => {
  const csv = 'First Name,Email,Birthday\nAna,ana@custom.example.com,1990-04-01\n';
  const c = await mapping(w, await share(w, csv, { name: 'birthdays.csv' }));
  await choose(w, c, ACTION.type, `type|${c.importId}`, 'clients');
  expect((await choose(w, c, ACTION.column, `col|${c.importId}|2`, 'custom')).status).toBe(200);
  const updated = await w.slack.waitFor('the select showing the custom field', () =>
    w.slack.callsOf('chat.update').find((u) => {
      const block = blockOf(u.args.blocks, `col|${c.importId}|2`);
      return block?.accessory?.initial_option?.value === 'custom.birthday';
    }),
  );
  const select = blockOf(updated.args.blocks, `col|${c.importId}|2`);
  const labels = select?.accessory?.options?.map((o) => o.text.text) ?? [];
  expect(labels.slice(-3)).toEqual(['Custom: birthday', 'Keep as custom field', "Don't import"]);

  await press(w, c, ACTION.start);
  expect((await waitForEnd(w.h, c.importId)).status).toBe('completed');
  const db = w.h.app.context.get<Connection>(getConnectionToken()).db!;
  const ana = await db.collection('records').findOne({ key: 'ana@custom.example.com' });
  expect(ana?.custom).toEqual({ birthday: '1990-04-01' });
});
