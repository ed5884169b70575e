import { UndoImport } from '../../../src/engine/use-cases/undo/use-case';
import { Harness, importCsv, startHarness } from '../../support/intake-harness';
import { acts, on, people, refusal } from './use-case-world';

let h: Harness;
let useCase: UndoImport;

beforeAll(async () => {
  h = await startHarness('uc_undo');
  useCase = h.app.context.get(UndoImport);
});
afterAll(() => h.close());

test('a command without an actor is refused', async () => {
  const e = await refusal(useCase.execute({ workspaceId: h.workspaceId, importId: 'x' } as never));
  expect(e.code).toBe('invalid_request');
  expect(e.message).toMatch(/^Cannot undo the import: actor: /);
});

test('an undo deletes what the import created, names who undid it, and a second undo is already done', async () => {
  const done = await importCsv(h, people(3, 'undo.example.com'), 'clients');
  const undone = await useCase.execute(on(h, done));
  expect(undone).toMatchObject({ status: 'rolled_back', rollback: { deleted: 3, restored: 0, kept: 0 } });
  expect(acts(undone)).toEqual([
    ['start', 'api', null],
    ['undo', 'slack', 'U0PERSON'],
  ]);
  const again = await refusal(useCase.execute(on(h, done, { door: 'email', person: 'b@c.example' })));
  expect(again.code).toBe('already_done');
  expect(again.message).toMatch(new RegExp(`^Import ${done.id} was already undone: `));
  expect(acts(await h.imports.get(h.workspaceId, done.id))).toHaveLength(2); // no second undo recorded
});

test('two undos at once: one does it, the other is told it is under way or done', async () => {
  const done = await importCsv(h, people(2, 'twice.example.com'), 'clients');
  const both = await Promise.allSettled([useCase.execute(on(h, done)), useCase.execute(on(h, done))]);
  expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  const lost = both.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
  expect(lost.reason.code).toBe('already_done');
});

test('a dry run wrote nothing to undo', async () => {
  const dry = await importCsv(h, people(1, 'dryundo.example.com'), 'clients', { dryRun: true });
  const e = await refusal(useCase.execute(on(h, dry)));
  expect(e.message).toBe('A dry run wrote no records, so there is nothing to roll back.');
});
