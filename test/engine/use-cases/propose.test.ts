import { Readable } from 'node:stream';
import { ProposeImport } from '../../../src/engine/use-cases/propose/use-case';
import { ImportQueries } from '../../../src/engine/use-cases/queries/import-queries';
import { Harness, startHarness } from '../../support/intake-harness';
import { PERSON, people, refusal } from './use-case-world';

let h: Harness;
let useCase: ProposeImport;

beforeAll(async () => {
  h = await startHarness('uc_propose');
  useCase = h.app.context.get(ProposeImport);
});
afterAll(() => h.close());

test('a command without a workspace, a stream or a known type is refused, and the file is dropped unread', async () => {
  const source = Readable.from([Buffer.from(people(1, 'refused.example.com'))]);
  const e = await refusal(
    useCase.execute({ workspaceId: '', actor: PERSON, source, fileName: 'a.csv', type: 'pets' as never }),
  );
  expect(e.code).toBe('invalid_request');
  expect(e.message).toMatch(/^Cannot propose an import: workspaceId: names no workspace; type: /);
  expect(source.destroyed).toBe(true);

  const noStream = await refusal(
    useCase.execute({ workspaceId: h.workspaceId, actor: PERSON, source: 'a,b' as never, fileName: 'a.csv' }),
  );
  expect(noStream.message).toContain('source: is not a readable stream of the file');
});

test("the file is proposed a mapping, as an import of the actor's door, keeping what the door said of it", async () => {
  const view = await useCase.execute({
    workspaceId: h.workspaceId,
    actor: PERSON,
    source: Readable.from([Buffer.from(people(2, 'propose.example.com'))]),
    fileName: '../../people.csv',
    type: 'clients',
    origin: { threadTs: '1.2' },
  });
  expect(view).toMatchObject({ status: 'awaiting_mapping', channel: 'slack', fileName: 'people.csv' });
  expect(view.columns.map((c) => c.field)).toEqual(['firstName', 'email']);
  expect(view.history).toEqual([]); // proposing is no act of a person
  expect(await h.app.context.get(ImportQueries).origin(h.workspaceId, view.id)).toEqual({
    channel: 'slack',
    origin: { threadTs: '1.2' },
  });
});

test('fields already chosen for columns (a file imported again) are taken as chosen', async () => {
  const view = await useCase.execute({
    workspaceId: h.workspaceId,
    actor: PERSON,
    source: Readable.from([Buffer.from(people(1, 'chosen.example.com'))]),
    fileName: 'chosen.csv',
    type: 'clients',
    columns: [{ index: 0, field: null }],
  });
  expect(view.columns[0]).toMatchObject({ field: null, confidence: 1 });
  expect(view.columns[1]?.field).toBe('email');
});
