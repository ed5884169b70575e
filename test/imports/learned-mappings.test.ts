import { LearnedMappings } from '../../src/engine/workspaces/learned-mappings';
import { Harness, startHarness, uploadCsv, waitForEnd } from '../support/intake-harness';

let h: Harness;
let learned: LearnedMappings;

beforeAll(async () => {
  h = await startHarness('learned');
  learned = h.app.context.get(LearnedMappings);
});
afterAll(() => h.close());

/** A file whose third header no catalog field knows: only learning maps it to Notes. */
const file = (header: string) => `First Name,Email,${header}\nAna,ana@example.com,x\n`;
/** The same file with its odd column mapped to Notes by a person. */
async function proposeWithNotes(header: string, fileName = 'people.csv') {
  const view = await uploadCsv(h, file(header), 'clients', fileName);
  expect(view.columns[2]).toMatchObject({ field: null });
  await h.imports.changeMapping(h.workspaceId, view.id, undefined, { byHeader: { [header]: 'notes' } });
  return view;
}
const thirdColumn = async (header: string) => (await uploadCsv(h, file(header), 'clients')).columns[2];

test('a real run a person started teaches its mapping once it completed, and the suggestion says from which import', async () => {
  const view = await proposeWithNotes('Kundenbemerkung', 'kunden.csv');
  await h.imports.start(h.workspaceId, view.id, { byPerson: true });
  const done = await waitForEnd(h, view.id);
  expect(done.status).toBe('completed');

  const column = await thirdColumn('Kundenbemerkung');
  expect(column).toMatchObject({
    field: 'notes',
    reason: 'learned',
    learnedFrom: { importId: view.id, fileName: 'kunden.csv' },
  });
  expect(column?.learnedFrom!.at.getTime()).toBeLessThanOrEqual(done.finishedAt!.getTime());
  expect(column?.learnedFrom!.at.getTime()).toBeGreaterThanOrEqual(done.startedAt!.getTime());
  // A person choosing the column again drops the note: it is their choice now.
  const next = await uploadCsv(h, file('Kundenbemerkung'), 'clients');
  const chosen = await h.imports.changeMapping(h.workspaceId, next.id, undefined, {
    byHeader: { Kundenbemerkung: 'notes' },
  });
  expect(chosen.columns[2]?.learnedFrom).toBeUndefined();
});

test('a dry run teaches nothing, even when a person started it', async () => {
  const view = await proposeWithNotes('Probebemerkung');
  await h.imports.start(h.workspaceId, view.id, { dryRun: true, byPerson: true });
  expect((await waitForEnd(h, view.id)).status).toBe('completed');
  expect((await thirdColumn('Probebemerkung'))?.reason).not.toBe('learned');

  // Run for real by a person, the same import teaches.
  await h.imports.start(h.workspaceId, view.id, { byPerson: true });
  await waitForEnd(h, view.id);
  const done = await h.imports.get(h.workspaceId, view.id);
  expect(done).toMatchObject({ status: 'completed', dryRun: false });
  expect(await thirdColumn('Probebemerkung')).toMatchObject({ field: 'notes', reason: 'learned' });
});

test('an automatic start teaches nothing', async () => {
  const view = await proposeWithNotes('Autobemerkung');
  await h.imports.start(h.workspaceId, view.id);
  expect((await waitForEnd(h, view.id)).status).toBe('completed');
  expect((await thirdColumn('Autobemerkung'))?.reason).not.toBe('learned');
});

test('one-off choices that were never run teach nothing: changed, then cancelled', async () => {
  const view = await proposeWithNotes('Einmalbemerkung');
  await h.imports.cancel(h.workspaceId, view.id);
  expect((await thirdColumn('Einmalbemerkung'))?.reason).not.toBe('learned');
});

test('a person makes the workspace forget a header: it is listed, forgotten, and no longer suggested', async () => {
  const view = await proposeWithNotes('Vergessbemerkung', 'forget-me.csv');
  await h.imports.start(h.workspaceId, view.id, { byPerson: true });
  await waitForEnd(h, view.id);
  const listed = await learned.list(h.workspaceId, 'clients');
  expect(listed).toContainEqual(
    expect.objectContaining({
      header: 'Vergessbemerkung',
      field: 'notes',
      learnedFrom: expect.objectContaining({ importId: view.id, fileName: 'forget-me.csv' }),
    }),
  );

  // However the header is written, it is the same header.
  const gone = await learned.forget(h.workspaceId, 'clients', 'VERGESSBEMERKUNG', { door: 'http' });
  expect(gone).toMatchObject({ type: 'clients', header: 'Vergessbemerkung', field: 'notes' });
  expect(await thirdColumn('Vergessbemerkung')).toMatchObject({ field: null });
  expect((await learned.list(h.workspaceId, 'clients')).map((l) => l.header)).not.toContain(
    'Vergessbemerkung',
  );
  await expect(
    learned.forget(h.workspaceId, 'clients', 'Vergessbemerkung', { door: 'http' }),
  ).rejects.toMatchObject({
    code: 'not_found',
  });
});

test('forgetting reaches only the workspace and type asked for', async () => {
  const view = await proposeWithNotes('Fremdbemerkung');
  await h.imports.start(h.workspaceId, view.id, { byPerson: true });
  await waitForEnd(h, view.id);
  await expect(
    learned.forget('another-workspace', 'clients', 'Fremdbemerkung', { door: 'http' }),
  ).rejects.toMatchObject({
    code: 'not_found',
  });
  await expect(
    learned.forget(h.workspaceId, 'leads', 'Fremdbemerkung', { door: 'http' }),
  ).rejects.toMatchObject({
    code: 'not_found',
  });
  await expect(
    learned.forget(h.workspaceId, 'clients', 'x'.repeat(100_000), { door: 'http' }),
  ).rejects.toMatchObject({
    code: 'not_found',
  });
  expect(await thirdColumn('Fremdbemerkung')).toMatchObject({ field: 'notes', reason: 'learned' });
});
