import { ChangeMapping } from '../../../src/engine/use-cases/change-mapping/use-case';
import { StartImport } from '../../../src/engine/use-cases/start/use-case';
import { Harness, startHarness } from '../../support/intake-harness';
import { acts, on, people, propose, refusal } from './use-case-world';

let h: Harness;
let useCase: ChangeMapping;

beforeAll(async () => {
  h = await startHarness('uc_mapping');
  useCase = h.app.context.get(ChangeMapping);
});
afterAll(() => h.close());

test('a command from an unknown door or with a negative column is refused, naming each wrong field', async () => {
  const view = await propose(h, people(1, 'badcmd.example.com'));
  const e = await refusal(
    useCase.execute({
      ...on(h, view),
      actor: { door: 'fax' as never, person: null },
      byIndex: [{ index: -1, field: 'email' }],
    }),
  );
  expect(e.code).toBe('invalid_request');
  expect(e.message).toMatch(/^Cannot change the mapping: actor\.door: .*; byIndex\.0\.index: /);
  expect((await h.imports.get(h.workspaceId, view.id)).mappingVersion).toBe(0); // nothing changed
});

test('a type and a column change are each recorded with who made them, through which door', async () => {
  const view = await propose(h, people(1, 'acts.example.com'));
  const typed = await useCase.execute({ ...on(h, view), type: 'leads' });
  expect(typed.type).toBe('leads');
  const mapped = await useCase.execute({
    ...on(h, view, { door: 'email', person: 'a@b.example' }),
    byHeader: { 'First Name': null },
  });
  expect(mapped.columns[0]?.field).toBeNull();
  expect(acts(mapped)).toEqual([
    ['change_type', 'slack', 'U0PERSON'],
    ['change_columns', 'email', 'a@b.example'],
  ]);
});

test('changes apply in the order people made them, however late one is handled', async () => {
  const view = await propose(h, people(1, 'order.example.com'));
  const later = new Date(Date.now() + 60_000);
  await useCase.execute({ ...on(h, view), byIndex: [{ index: 0, field: 'lastName' }], at: later });
  const stale = await useCase.execute({
    ...on(h, view),
    byIndex: [{ index: 0, field: null }],
    at: new Date(Date.now() - 60_000),
  });
  expect(stale.columns[0]?.field).toBe('lastName');
});

test('once started, the mapping can no longer change', async () => {
  const view = await propose(h, people(1, 'started.example.com'));
  await h.app.context.get(StartImport).execute(on(h, view));
  const e = await refusal(useCase.execute({ ...on(h, view), type: 'leads' }));
  expect(e.code).toBe('conflict');
  expect(e.message).toContain('only an import awaiting its mapping can be changed');
});
