import { CancelImport } from '../../../src/engine/use-cases/cancel/use-case';
import { Harness, startHarness, uploadsSettled } from '../../support/intake-harness';
import { acts, on, people, propose, refusal } from './use-case-world';

let h: Harness;
let useCase: CancelImport;

beforeAll(async () => {
  h = await startHarness('uc_cancel');
  useCase = h.app.context.get(CancelImport);
});
afterAll(() => h.close());

test('a command whose person is an empty name is refused', async () => {
  const e = await refusal(
    useCase.execute({ workspaceId: h.workspaceId, importId: 'x', actor: { door: 'email', person: '' } }),
  );
  expect(e.code).toBe('invalid_request');
  expect(e.message).toMatch(/^Cannot cancel the import: actor\.person: /);
});

test('an import awaiting its mapping is cancelled at once, by whom the history says, and loses its file', async () => {
  const view = await propose(h, people(1, 'cancel.example.com'));
  await uploadsSettled(h);
  const done = await useCase.execute(on(h, view));
  expect(done.status).toBe('cancelled');
  expect(acts(done)).toEqual([['cancel', 'slack', 'U0PERSON']]);
  expect((await h.imports.get(h.workspaceId, view.id)).fileKept).toBe(false);
  const again = await refusal(useCase.execute(on(h, view)));
  expect(again.code).toBe('conflict');
  expect(again.message).toContain('it is cancelled');
});
