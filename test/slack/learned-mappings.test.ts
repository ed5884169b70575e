import { LearnedMappings } from '../../src/engine/workspaces/learned-mappings';
import { ACTION, FORGET_LEARNED } from '../../src/doors/slack/slack-ids';
import { waitForEnd } from '../support/intake-harness';
import { World, blockOf, choose, interact, mapping, press, share, startWorld, USER } from './slack-world';

let w: World;
let learned: LearnedMappings;

beforeAll(async () => {
  w = await startWorld('slack_learned');
  learned = w.h.app.context.get(LearnedMappings);
});
afterAll(() => w.close());

const csv = (who: string) => `First Name,Email,Kundenhinweis\n${who},${who}@learned.example.com,x\n`;
const headers = async () => (await learned.list(w.h.workspaceId, 'clients')).map((m) => m.header);

test('a learned column says where it was learned; a guest cannot make the workspace forget it; a member can', async () => {
  const first = await mapping(w, await share(w, csv('ana'), { name: 'march.csv' }));
  await choose(w, first, ACTION.type, `type|${first.importId}`, 'clients');
  await choose(w, first, ACTION.column, `col|${first.importId}|2`, 'notes');
  await w.slack.waitFor('the choice redrawn', () =>
    w.slack
      .callsOf('chat.update')
      .find(
        (u) =>
          blockOf(u.args.blocks, `col|${first.importId}|2`)?.accessory?.initial_option?.value === 'notes',
      ),
  );
  await press(w, first, ACTION.start);
  expect((await waitForEnd(w.h, first.importId)).status).toBe('completed');

  const next = await mapping(w, await share(w, csv('bo'), { name: 'april.csv' }));
  const posted = w.slack.posted().find((p) => p.ts === next.pages[0] && p.channel === next.channel)!;
  const column = blockOf(JSON.parse(posted.blocksJson), `col|${next.importId}|2`);
  expect(column?.text?.text).toMatch(/Learned from `march\.csv` \(\d{4}-\d{2}-\d{2}\)/);
  expect(column?.accessory?.options?.map((o) => o.text.text).at(-1)).toBe('Forget what was learned');

  // A Slack Connect guest of another organization is refused, and nothing is forgotten.
  const forget = { kind: 'select' as const, actionId: ACTION.column, blockId: `col|${next.importId}|2` };
  await interact(w, next, { ...forget, value: FORGET_LEARNED, user: 'UEVE', userTeam: 'TGUEST' });
  await w.slack.waitFor('the refusal', () =>
    w.slack.ephemerals().find((e) => e.user === 'UEVE' && e.channel === next.channel),
  );
  expect(await headers()).toContain('Kundenhinweis');

  await interact(w, next, { ...forget, value: FORGET_LEARNED });
  const told = await w.slack.waitFor('the forgetting told in the thread', () =>
    w.slack.posted().find((p) => p.channel === next.channel && /made the workspace forget/.test(p.text)),
  );
  expect(told.text).toContain(
    `<@${USER}> made the workspace forget *Kundenhinweis* → Notes for clients (learned from \`march.csv\`).`,
  );
  expect(await headers()).not.toContain('Kundenhinweis');
  // The import in hand keeps its mapping.
  expect((await w.h.imports.get(w.h.workspaceId, next.importId)).columns[2]?.field).toBe('notes');
});
