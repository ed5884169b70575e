import { WorkspacesService } from '../../src/engine/workspaces/workspaces.service';
import { Harness, startHarness } from '../support/intake-harness';

let h: Harness;
let otherKey: string;

beforeAll(async () => {
  h = await startHarness('api_learned');
  const workspaces = h.app.context.get(WorkspacesService);
  await workspaces.create('other-team');
  otherKey = (await workspaces.issueKey('other-team', 'test')).key;
});
afterAll(() => h.close());

function call(path: string, init: RequestInit = {}, key = h.apiKey) {
  const headers = new Headers(init.headers);
  if (key) headers.set('Authorization', `Bearer ${key}`);
  return fetch(`${h.url}${path}`, { ...init, headers });
}

interface Column {
  header: string;
  field: string | null;
  reason: string | null;
  learnedFrom?: { importId: string | null; fileName: string | null; at: string };
}

async function upload(
  csv: string,
  fileName: string,
  key = h.apiKey,
): Promise<{ id: string; columns: Column[] }> {
  const form = new FormData();
  form.append('type', 'clients');
  form.append('file', new Blob([csv]), fileName);
  const res = await call('/imports', { method: 'POST', body: form }, key);
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; columns: Column[] };
}

async function runWithNotes(header: string, fileName: string, dryRun = false): Promise<string> {
  const view = await upload(`First Name,Email,${header}\nAna,ana@example.com,x\n`, fileName);
  const put = await call(`/imports/${view.id}/mapping`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ mapping: { [header]: 'notes' } }),
  });
  expect(put.status).toBe(200);
  const start = await call(`/imports/${view.id}/start`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ dryRun }),
  });
  expect(start.status).toBe(202);
  for (let i = 0; i < 300; i++) {
    const body = (await (await call(`/imports/${view.id}`)).json()) as { status: string };
    if (body.status === 'completed') return view.id;
    if (['failed', 'cancelled'].includes(body.status)) throw new Error(`import ${body.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('import did not finish');
}

const third = async (header: string, key = h.apiKey) =>
  (await upload(`First Name,Email,${header}\nBo,bo@example.com,y\n`, 'next.csv', key)).columns[2];

test('a learned column says which import taught it; the listing shows it; DELETE forgets it', async () => {
  const dry = await runWithNotes('Remarque client', 'dry.csv', true);
  expect((await third('Remarque client'))?.reason).not.toBe('learned');
  const id = await runWithNotes('Remarque client', 'clients-march.csv');
  const column = await third('Remarque client');
  expect(column).toMatchObject({
    field: 'notes',
    reason: 'learned',
    learnedFrom: { importId: id, fileName: 'clients-march.csv' },
  });
  expect(id).not.toBe(dry);
  expect(Number.isNaN(Date.parse(column!.learnedFrom!.at))).toBe(false);

  const listed = (await (await call('/mappings/clients')).json()) as { mappings: Column[] };
  expect(listed.mappings).toContainEqual(
    expect.objectContaining({
      header: 'Remarque client',
      field: 'notes',
      learnedFrom: expect.objectContaining({ importId: id }),
    }),
  );

  const gone = await call(`/mappings/clients/${encodeURIComponent('remarque CLIENT')}`, { method: 'DELETE' });
  expect(gone.status).toBe(200);
  expect(await gone.json()).toMatchObject({
    forgotten: { type: 'clients', header: 'Remarque client', field: 'notes', learnedFrom: { importId: id } },
  });
  const afresh = await third('Remarque client');
  expect(afresh?.reason).not.toBe('learned');
  expect(afresh?.learnedFrom).toBeUndefined();
  const again = await call(`/mappings/clients/${encodeURIComponent('Remarque client')}`, {
    method: 'DELETE',
  });
  expect(again.status).toBe(404);
  expect(((await again.json()) as { error: { code: string } }).error.code).toBe('not_found');
});

test('attack: no key, or another workspace’s key, neither lists nor forgets this workspace’s learning', async () => {
  await runWithNotes('Bemerkung Kunde', 'mine.csv');
  expect((await call('/mappings/clients', {}, '')).status).toBe(401);
  expect((await call('/mappings/clients/Bemerkung%20Kunde', { method: 'DELETE' }, '')).status).toBe(401);
  expect((await call('/mappings/clients/Bemerkung%20Kunde', { method: 'DELETE' }, 'ik_forged')).status).toBe(
    401,
  );

  const theirs = (await (await call('/mappings/clients', {}, otherKey)).json()) as { mappings: Column[] };
  expect(theirs.mappings).toEqual([]);
  expect((await call('/mappings/clients/Bemerkung%20Kunde', { method: 'DELETE' }, otherKey)).status).toBe(
    404,
  );
  expect((await third('Bemerkung Kunde', otherKey))?.reason).not.toBe('learned');
  expect((await call('/mappings/robots/x', { method: 'DELETE' })).status).toBe(400);
  // Still learned here.
  expect(await third('Bemerkung Kunde')).toMatchObject({ field: 'notes', reason: 'learned' });
});

test('the OpenAPI description documents the listing, the forgetting and the learned note', async () => {
  const doc = (await (await call('/docs/openapi.json', {}, '')).json()) as {
    paths: Record<string, Record<string, { description?: string }>>;
  };
  expect(Object.keys(doc.paths['/mappings/{type}'] ?? {})).toContain('get');
  expect(Object.keys(doc.paths['/mappings/{type}/{header}'] ?? {})).toContain('delete');
  expect(doc.paths['/imports']?.post?.description).toContain('learnedFrom');
});
