import { IntakeError } from '../../../src/core/intake-error';
import type { ImportView } from '../../../src/engine/imports/import-view';
import { StartImport } from '../../../src/engine/use-cases/start/use-case';
import { Harness, startHarness, waitForEnd } from '../../support/intake-harness';
import { acts, on, PERSON, people, propose, refusal } from './use-case-world';

let h: Harness;
let useCase: StartImport;

beforeAll(async () => {
  h = await startHarness('uc_start');
  useCase = h.app.context.get(StartImport);
});
afterAll(() => h.close());

test('a command naming no import, or an unknown duplicate policy, is refused', async () => {
  const e = await refusal(
    useCase.execute({
      workspaceId: h.workspaceId,
      importId: '',
      actor: PERSON,
      onDuplicate: 'merge' as never,
    }),
  );
  expect(e.code).toBe('invalid_request');
  expect(e.message).toMatch(/^Cannot start the import: importId: names no import; onDuplicate: /);
  const many = await refusal(
    useCase.executeThenTell(
      { workspaceId: h.workspaceId, importIds: [''], actor: PERSON },
      async () => undefined,
    ),
  );
  expect(many.message).toMatch(/^Cannot start the imports: importIds\.0: /);
});

test('a start queues the import, records who started it through which door, and it runs', async () => {
  const view = await propose(h, people(2, 'start.example.com'));
  const started = await useCase.execute({ ...on(h, view), byPerson: true });
  expect(started.import.status).toBe('queued');
  expect(acts(started.import)).toEqual([['start', 'slack', 'U0PERSON']]);
  expect((await h.imports.origin(h.workspaceId, view.id)).origin).toMatchObject({ startedBy: 'U0PERSON' });
  expect((await waitForEnd(h, view.id)).counts.imported).toBe(2);
  const again = await refusal(useCase.execute(on(h, view)));
  expect(again.code).toBe('conflict');
});

test('a dry run, then the same import run for real, each recorded as what it was', async () => {
  const view = await propose(h, people(2, 'dry.example.com'));
  await useCase.execute({ ...on(h, view), dryRun: true });
  expect((await waitForEnd(h, view.id)).dryRun).toBe(true);
  await useCase.execute(on(h, view, { door: 'api', person: null }));
  const done = await waitForEnd(h, view.id);
  expect(done).toMatchObject({ dryRun: false, counts: { imported: 2 } });
  expect(acts(done)).toEqual([
    ['dry_run', 'slack', 'U0PERSON'],
    ['run_for_real', 'api', null],
  ]);
});

test('started together and told first: none runs before the telling ends, a refused one is told with its reason', async () => {
  const ready = await propose(h, people(2, 'told.example.com'));
  const unmapped = await propose(h, 'First Name,Notes\nAna,hi\n');
  const heard: { started: ImportView[]; refused: { id: string; error: IntakeError }[]; during: string[] }[] =
    [];
  const started = await useCase.executeThenTell(
    { workspaceId: h.workspaceId, importIds: [ready.id, unmapped.id], actor: PERSON, byPerson: true },
    async (s, refused) => {
      const during = await Promise.all(s.map(async (v) => (await h.imports.get(h.workspaceId, v.id)).status));
      heard.push({ started: s, refused, during });
    },
  );
  expect(started.map((v) => v.id)).toEqual([ready.id]);
  expect(heard).toHaveLength(1);
  expect(heard[0]!.during).toEqual(['queued']);
  expect(heard[0]!.refused.map((r) => [r.id, r.error.code])).toEqual([[unmapped.id, 'missing_required']]);
  expect((await waitForEnd(h, ready.id)).counts.imported).toBe(2);
});

test('an import is let run even when telling fails', async () => {
  const view = await propose(h, people(1, 'untold.example.com'));
  await expect(
    useCase.executeThenTell({ ...on(h, view), importIds: [view.id] }, async () => {
      throw new Error('the chat is down');
    }),
  ).rejects.toThrow('the chat is down');
  expect((await waitForEnd(h, view.id)).status).toBe('completed');
});
