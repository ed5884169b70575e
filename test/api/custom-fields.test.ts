import { CustomFieldsRepository } from '../../src/engine/workspaces/custom-fields.repository';
import { Harness, startHarness } from '../support/intake-harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('api');
});
afterAll(() => h.close());

function call(path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${h.apiKey}`);
  return fetch(`${h.url}${path}`, { ...init, headers });
}

function send(path: string, method: string, body: unknown) {
  return call(path, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

interface View {
  id: string;
  columns: { header: string; field: string | null; reason: string | null; confidence: number }[];
}

async function upload(csv: string, fileName: string): Promise<View> {
  const form = new FormData();
  form.append('type', 'clients');
  form.append('file', new Blob([csv]), fileName);
  const res = await call('/imports', { method: 'POST', body: form });
  expect(res.status).toBe(201);
  return json<View>(res);
}

async function waitDone(id: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 300; i++) {
    const body = await json(await call(`/imports/${id}`));
    if (['completed', 'failed', 'cancelled'].includes(String(body.status))) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('import did not finish');
}

async function run(view: View, mapping: Record<string, string | null>, onDuplicate = 'skip') {
  expect((await send(`/imports/${view.id}/mapping`, 'PUT', { mapping })).status).toBe(200);
  expect((await send(`/imports/${view.id}/start`, 'POST', { onDuplicate })).status).toBe(202);
  return waitDone(view.id);
}

type Item = { key: string; fields: Record<string, unknown>; custom?: Record<string, string> };

async function record(key: string): Promise<Item | undefined> {
  const list = await json<{ items: Item[] }>(await call('/records/clients?limit=500'));
  return list.items.find((r) => r.key === key);
}

test('a column kept as a custom field is stored under custom and returned with the record', async () => {
  const csv =
    'First Name,Email,Birthday,Shoe Size\nAna,ana@example.com,1990-04-01,38\nBo,bo@example.com,,42\n';
  const view = await upload(csv, 'custom.csv');
  expect(await run(view, { Birthday: 'custom', 'Shoe Size': 'custom.shoe' })).toMatchObject({
    status: 'completed',
    counts: { imported: 2 },
  });
  expect(await record('ana@example.com')).toMatchObject({
    fields: { firstName: 'Ana' },
    custom: { birthday: '1990-04-01', shoe: '38' },
  });
  // An empty cell stores nothing.
  expect((await record('bo@example.com'))?.custom).toEqual({ shoe: '42' });
});

test("GET /fields lists the catalog's fields and the workspace's custom fields", async () => {
  const view = await upload('First Name,Email,Loyalty Tier\nCy,cy@example.com,gold\n', 'tier.csv');
  await run(view, { 'Loyalty Tier': 'keep' });
  const body = await json<{ fields: { key: string; label: string; required: boolean; custom?: boolean }[] }>(
    await call('/fields/clients'),
  );
  expect(body.fields[0]).toEqual({ key: 'firstName', label: 'First Name', required: true });
  expect(body.fields).toContainEqual({
    key: 'custom.loyaltyTier',
    label: 'Loyalty Tier',
    required: false,
    custom: true,
  });
  // Per type: the leads know nothing of the clients' custom fields.
  const leads = await json<{ fields: { custom?: boolean }[] }>(await call('/fields/leads'));
  expect(leads.fields.some((f) => f.custom)).toBe(false);
});

test('the next file with the same header gets the same custom field suggested', async () => {
  await run(await upload('First Name,Email,Favourite Colour\nDi,di@example.com,red\n', 'a.csv'), {
    'Favourite Colour': 'custom',
  });
  const next = await upload('Email,First Name,favourite colour\ned@example.com,Ed,blue\n', 'b.csv');
  expect(next.columns[2]).toMatchObject({
    field: 'custom.favouriteColour',
    reason: 'learned',
    confidence: 1,
  });
});

test('update mode updates a custom value; rollback restores it, and removes one that was absent', async () => {
  await run(await upload('First Name,Email,Birthday\nFay,fay@example.com,1980-01-01\n', 'c.csv'), {
    Birthday: 'custom',
  });
  const second = await upload('Email,First Name,Birthday,Pet\nfay@example.com,Fay,1981-02-02,cat\n', 'd.csv');
  expect(second.columns.map((c) => c.field)).toEqual(['email', 'firstName', 'custom.birthday', null]);
  expect(await run(second, { Pet: 'custom' }, 'update')).toMatchObject({ counts: { updated: 1 } });
  expect((await record('fay@example.com'))?.custom).toEqual({ birthday: '1981-02-02', pet: 'cat' });

  const rolled = await call(`/imports/${second.id}/rollback`, { method: 'POST' });
  expect(await json(rolled)).toMatchObject({ rollback: { restored: 1 } });
  expect((await record('fay@example.com'))?.custom).toEqual({ birthday: '1980-01-01' });
});

test('hostile headers make safe keys, unique within the file', async () => {
  const csv = 'Email,First Name,$where,a.b,__proto__,A B\ngus@example.com,Gus,1,2,3,4\n';
  const view = await upload(csv, 'hostile.csv');
  const res = await send(`/imports/${view.id}/mapping`, 'PUT', {
    columns: [2, 3, 4, 5].map((index) => ({ index, field: 'custom' })),
  });
  expect(res.status).toBe(200);
  const changed = await json<View>(res);
  expect(changed.columns.map((c) => c.field)).toEqual([
    'email',
    'firstName',
    'custom.where',
    'custom.aB',
    'custom.protoField',
    'custom.aB2',
  ]);
  expect((await send(`/imports/${view.id}/start`, 'POST', {})).status).toBe(202);
  await waitDone(view.id);
  expect((await record('gus@example.com'))?.custom).toEqual({
    where: '1',
    aB: '2',
    protoField: '3',
    aB2: '4',
  });
});

test('more custom fields than a file may keep are refused with a clear message', async () => {
  const headers = Array.from({ length: 51 }, (_, i) => `Extra ${i}`);
  const view = await upload(`Email,${headers.join(',')}\nx@example.com\n`, 'wide.csv');
  const res = await send(`/imports/${view.id}/mapping`, 'PUT', {
    columns: headers.map((_h, i) => ({ index: i + 1, field: 'custom' })),
  });
  expect(res.status).toBe(422);
  expect((await json<{ error: { message: string } }>(res)).error.message).toMatch(
    /51 columns are kept as custom fields; a file can keep at most 50/,
  );
});

test('a start that would take the type past 200 custom fields is refused, and adds none', async () => {
  const repo = h.app.context.get(CustomFieldsRepository);
  const have = (await repo.list(h.workspaceId, 'clients')).length;
  const fill = Array.from({ length: 200 - have }, (_, i) => ({ key: `filler${i}`, header: `Filler ${i}` }));
  await repo.register(h.workspaceId, 'clients', fill, new Date());
  const view = await upload('First Name,Email,One Too Many\nHal,hal@example.com,x\n', 'full.csv');
  await send(`/imports/${view.id}/mapping`, 'PUT', { mapping: { 'One Too Many': 'custom' } });
  const res = await send(`/imports/${view.id}/start`, 'POST', {});
  expect(res.status).toBe(422);
  expect((await json<{ error: { message: string } }>(res)).error.message).toMatch(
    /has 200 custom fields for clients; this file would add 1, and a type can have at most 200/,
  );
  expect(await repo.list(h.workspaceId, 'clients')).toHaveLength(200);
  // A file that keeps only custom fields the type has still starts.
  const known = await upload('First Name,Email,Filler 3\nIvy,ivy@example.com,y\n', 'known.csv');
  expect(await run(known, { 'Filler 3': 'custom.filler3' })).toMatchObject({ status: 'completed' });
});
