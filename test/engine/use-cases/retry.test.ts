import { RetryImport } from '../../../src/engine/use-cases/retry/use-case';
import { Harness, importCsv, startHarness, waitForEnd } from '../../support/intake-harness';
import { acts, on, PERSON, people, refusal } from './use-case-world';

let h: Harness;
let useCase: RetryImport;

beforeAll(async () => {
  h = await startHarness('uc_retry', { INTAKE_BATCH_SIZE: '1' });
  useCase = h.app.context.get(RetryImport);
});
afterAll(() => h.close());

test('a command without a workspace is refused', async () => {
  const e = await refusal(useCase.execute({ workspaceId: '', importId: 'x', actor: PERSON }));
  expect(e.message).toBe('Cannot retry the import: workspaceId: names no workspace.');
});

test('a failed import resumes after its last written row, and the history names who retried', async () => {
  const head = 'First Name,Email\nAna,ana@retry.example.com\nBea,bea@retry.example.com\n';
  const file = Buffer.concat([Buffer.from(head), Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 10, 0, 0, 7])]);
  const failed = await importCsv(h, file, 'clients');
  expect(failed.status).toBe('failed');
  const queued = await useCase.execute(on(h, failed));
  expect(queued.status).toBe('queued');
  expect(acts(queued).at(-1)).toEqual(['retry', 'slack', 'U0PERSON']);
  const end = await waitForEnd(h, failed.id);
  expect(end.status).toBe('failed'); // the same binary tail
  expect(end.counts.imported).toBe(failed.counts.imported); // nothing written twice
});

test('only a failed import can be retried', async () => {
  const done = await importCsv(h, people(1, 'done.example.com'), 'clients');
  const e = await refusal(useCase.execute(on(h, done)));
  expect(e.code).toBe('conflict');
  expect(e.message).toBe(
    `Cannot retry import ${done.id}: it is completed (only an import that is failed can be).`,
  );
});
