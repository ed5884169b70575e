import { ImportQueries } from '../../../src/engine/use-cases/queries/import-queries';
import { Harness, startHarness } from '../../support/intake-harness';
import { people, propose } from './use-case-world';

let h: Harness;
let queries: ImportQueries;

beforeAll(async () => {
  h = await startHarness('uc_queries');
  queries = h.app.context.get(ImportQueries);
});
afterAll(() => h.close());

test('one import, the recent ones newest first, and the door it came from; an unknown one is not found', async () => {
  const a = await propose(h, people(1, 'qa.example.com'));
  const b = await propose(h, people(1, 'qb.example.com'), { door: 'email', person: 'x@y.example' });
  expect((await queries.get(h.workspaceId, a.id)).id).toBe(a.id);
  expect((await queries.list(h.workspaceId, 2)).map((v) => v.id)).toEqual([b.id, a.id]);
  expect(await queries.origin(h.workspaceId, b.id)).toEqual({ channel: 'email', origin: {} });
  await expect(queries.get(h.workspaceId, 'nope')).rejects.toMatchObject({ code: 'not_found' });
  await expect(queries.get('another-workspace', a.id)).rejects.toMatchObject({ code: 'not_found' });
});
