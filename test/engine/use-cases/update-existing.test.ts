import type { ImportView } from '../../../src/engine/imports/import-view';
import { UpdateExisting } from '../../../src/engine/use-cases/update-existing/use-case';
import { Harness, importCsv, startHarness, waitForEnd } from '../../support/intake-harness';
import { acts, on, PERSON, refusal } from './use-case-world';

let h: Harness;
let useCase: UpdateExisting;

beforeAll(async () => {
  h = await startHarness('uc_update');
  useCase = h.app.context.get(UpdateExisting);
});
afterAll(() => h.close());

test('a command whose origin is no object is refused', async () => {
  const e = await refusal(
    useCase.execute({ workspaceId: h.workspaceId, importId: 'x', actor: PERSON, origin: 'thread' as never }),
  );
  expect(e.code).toBe('invalid_request');
  expect(e.message).toMatch(/^Cannot update the existing records: origin: /);
});

test('the same file and mapping run again as an update, told to the door before it can end', async () => {
  await importCsv(h, 'First Name,Email\nDora,dora@update.example.com\n', 'clients');
  const first = await importCsv(h, 'First Name,Email\nDorothea,dora@update.example.com\n', 'clients');
  expect(first.counts.skipped).toBe(1);
  const seen: ImportView[] = [];
  const again = await useCase.execute({ ...on(h, first), origin: { threadTs: '9.9' } }, async (next) => {
    seen.push(next);
  });
  expect(seen.map((v) => v.status)).toEqual(['awaiting_mapping']);
  expect(again).toMatchObject({ onDuplicate: 'update', channel: 'slack' });
  expect(again.columns.map((c) => c.field)).toEqual(first.columns.map((c) => c.field));
  expect(acts(again)).toEqual([['start', 'slack', 'U0PERSON']]);
  expect((await waitForEnd(h, again.id)).counts.updated).toBe(1);
  expect(acts(await h.imports.get(h.workspaceId, first.id))).toEqual([
    ['start', 'api', null],
    ['update_existing', 'slack', 'U0PERSON'],
  ]);
});

test('a door that cannot record where to tell the ending leaves no import behind', async () => {
  const first = await importCsv(h, 'First Name,Email\nEd,ed@fail.example.com\n', 'clients');
  let proposed = '';
  await expect(
    useCase.execute(on(h, first), async (next) => {
      proposed = next.id;
      throw new Error('no thread');
    }),
  ).rejects.toThrow('no thread');
  expect((await h.imports.get(h.workspaceId, proposed)).status).toBe('cancelled');
});
