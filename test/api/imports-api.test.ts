import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { START_MESSAGE } from '../../src/engine/imports/import-view';
import { ImportsRepository } from '../../src/engine/imports/imports.repository';
import { Harness, startHarness } from '../support/intake-harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('api');
});
afterAll(() => h.close());

function call(path: string, init: RequestInit = {}, key: string | null = h.apiKey) {
  const headers = new Headers(init.headers);
  if (key) headers.set('Authorization', `Bearer ${key}`);
  return fetch(`${h.url}${path}`, { ...init, headers });
}

function upload(csv: string | Buffer, fileName = 'people.csv', type?: string, key: string | null = h.apiKey) {
  const form = new FormData();
  if (type) form.append('type', type);
  form.append('file', new Blob([csv]), fileName);
  return call('/imports', { method: 'POST', body: form }, key);
}

async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

async function waitDone(id: string, key = h.apiKey): Promise<Record<string, unknown>> {
  for (let i = 0; i < 300; i++) {
    const body = await json(await call(`/imports/${id}`, {}, key));
    if (['completed', 'failed', 'cancelled'].includes(String(body.status))) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('import did not finish');
}

const csv = 'fname,E-Mail,Mobile #,Org\nAna,ana@example.com,+34 612 345 678,Acme\nBob,bob@example,,\n';

test('values past the first rows count as evidence; the import keeps only 20 sample rows', async () => {
  // The second column's header says nothing and its first 25 cells are empty: only later rows show e-mails.
  const rows = Array.from({ length: 120 }, (_, i) => `Person ${i},${i < 25 ? '' : `p${i}@example.com`}`);
  const res = await upload(`Name,Column2\n${rows.join('\n')}\n`, 'late-values.csv', 'clients');
  expect(res.status).toBe(201);
  const view = await json<{ id: string; columns: { field: string | null; reason: string | null }[] }>(res);
  expect(view.columns[1]).toMatchObject({ field: 'email', reason: 'values' });
  const stored = await h.app.context.get(ImportsRepository).get(h.workspaceId, view.id);
  expect(stored.layout.samples).toHaveLength(20);
});

test('requests without a valid API key get 401', async () => {
  expect((await call('/imports', {}, null)).status).toBe(401);
  expect((await call('/imports', {}, 'wrong')).status).toBe(401);
  const body = await json<{ error: { code: string } }>(await call('/imports', {}, 'wrong'));
  expect(body.error.code).toBe('unauthorized');
});

test('upload proposes a mapping; start answers with the start sentence; the import completes', async () => {
  const res = await upload(csv, 'people.csv', 'clients');
  expect(res.status).toBe(201);
  const view = await json<{
    id: string;
    status: string;
    columns: { header: string; field: string | null; samples: string[] }[];
  }>(res);
  expect(view.status).toBe('awaiting_mapping');
  expect(view.columns.map((c) => c.field)).toEqual(['firstName', 'email', 'phone', 'company']);
  expect(view.columns[0]?.samples).toEqual(['Ana', 'Bob']);

  const started = await call(`/imports/${view.id}/start`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ onDuplicate: 'skip' }),
  });
  expect(started.status).toBe(202);
  expect((await json(started)).message).toBe(START_MESSAGE);

  const done = await waitDone(view.id);
  expect(done.counts).toEqual({
    total: 2,
    imported: 1,
    updated: 0,
    unchanged: 0,
    skipped: 1,
    flagged: 0,
    companiesCreated: 1,
    companiesLinked: 1,
  });

  const report = await call(`/imports/${view.id}/report`);
  expect(report.headers.get('content-type')).toMatch(/text\/csv/);
  expect(await report.text()).toBe(
    'row,reason,outcome,fname,E-Mail,Mobile #,Org\n3,"invalid email ""bob@example""",skipped,Bob,bob@example,,\n',
  );

  const list = await json<{ total: number; items: { fields: Record<string, unknown> }[] }>(
    await call('/records/clients?page=1&limit=10'),
  );
  expect(list.total).toBe(1);
  expect(list.items[0]?.fields.company).toBe('Acme');
});

test('the mapping can be changed by header and by index, and the type changed', async () => {
  const view = await json<{ id: string }>(
    await upload('Name,Contact,Sector\nAcme,info@acme.example.com,Software\n', 'orgs.csv'),
  );
  const changed = await call(`/imports/${view.id}/mapping`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      type: 'companies',
      mapping: { Contact: 'email' },
      columns: [{ index: 2, field: 'industry' }],
    }),
  });
  expect(changed.status).toBe(200);
  const body = await json<{ type: string; columns: { field: string | null }[]; missingRequired: string[] }>(
    changed,
  );
  expect(body.type).toBe('companies');
  expect(body.columns.map((c) => c.field)).toEqual(['name', 'email', 'industry']);
  expect(body.missingRequired).toEqual([]);
});

test('a mapping to an unknown field is refused with the fields to choose from', async () => {
  const view = await json<{ id: string }>(await upload(csv, 'p.csv', 'clients'));
  const res = await call(`/imports/${view.id}/mapping`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ mapping: { Org: 'shoeSize' } }),
  });
  expect(res.status).toBe(422);
  expect((await json<{ error: { message: string } }>(res)).error.message).toMatch(
    /not a field of clients.*firstName/,
  );
});

test('starting without a required field answers 422 and says what to do', async () => {
  const view = await json<{ id: string }>(await upload('fname,Phone\nAna,1\n', 'p.csv', 'clients'));
  const res = await call(`/imports/${view.id}/start`, { method: 'POST' });
  expect(res.status).toBe(422);
  const body = await json<{ error: { code: string; message: string } }>(res);
  expect(body.error.code).toBe('missing_required');
  expect(body.error.message).toMatch(/Email/);
  // The next step is a request, not a CLI command.
  expect(body.error.message).toContain(
    `Send PUT /imports/${view.id}/mapping with {"mapping": {"<column>": "email"}}, or start from the sample CSV: GET /templates/clients.`,
  );
  expect(body.error.message).not.toContain('intake template');
});

test('bad files are rejected with a code and a message that says what to do', async () => {
  const empty = await upload('', 'empty.csv');
  expect(empty.status).toBe(400);
  expect((await json<{ error: { code: string } }>(empty)).error.code).toBe('empty_file');
  const xlsx = await upload(Buffer.from('PK\u0003\u0004rest-of-a-zip'), 'book.xlsx');
  const body = await json<{ error: { code: string; message: string } }>(xlsx);
  expect(body.error.code).toBe('unreadable_workbook');
  expect(body.error.message).toMatch(/save it again as \.xlsx \(or CSV\)/i);
});

test('a request with no file is a clear 400', async () => {
  const form = new FormData();
  form.append('type', 'clients');
  const res = await call('/imports', { method: 'POST', body: form });
  expect(res.status).toBe(400);
  expect((await json<{ error: { message: string } }>(res)).error.message).toMatch(/no file/i);
});

test("one workspace can neither read nor change another's imports or records", async () => {
  const { WorkspacesService } = await import('../../src/engine/workspaces/workspaces.service');
  const workspaces = h.app.context.get(WorkspacesService);
  await workspaces.create('other-team');
  const { key } = await workspaces.issueKey('other-team');
  const mine = await json<{ id: string; mappingVersion: number }>(await upload(csv, 'mine.csv', 'clients'));
  const asThem = (path: string, method = 'POST', body?: unknown) =>
    call(
      `/imports/${mine.id}${path}`,
      body === undefined
        ? { method }
        : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      key,
    );
  // Every way in to one import answers as if it did not exist, and changes nothing.
  const answers = [
    await asThem('', 'GET'),
    await asThem('/report', 'GET'),
    await asThem('/mapping', 'PUT', { type: 'leads' }),
    await asThem('/start'),
    await asThem('/cancel'),
    await asThem('/retry'),
    await asThem('/rollback'),
    await asThem('/update-existing'),
  ];
  expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404, 404, 404]);
  const after = await json<{ status: string; type: string; mappingVersion: number; history: unknown[] }>(
    await call(`/imports/${mine.id}`),
  );
  expect(after).toMatchObject({
    status: 'awaiting_mapping',
    type: 'clients',
    mappingVersion: mine.mappingVersion,
  });
  expect(after.history).toEqual([]);
  const theirs = await json<{ total: number }>(await call('/records/clients', {}, key));
  expect(theirs.total).toBe(0);
});

test('a revoked key stops working', async () => {
  const { WorkspacesService } = await import('../../src/engine/workspaces/workspaces.service');
  const workspaces = h.app.context.get(WorkspacesService);
  const { id, key } = await workspaces.issueKey('default', 'temp');
  expect((await call('/imports', {}, key)).status).toBe(200);
  await workspaces.revokeKey('default', id);
  expect((await call('/imports', {}, key)).status).toBe(401);
});

test('rollback over HTTP deletes the records the import created', async () => {
  const view = await json<{ id: string }>(
    await upload('First Name,Email\nZed,zed@example.com\n', 'z.csv', 'clients'),
  );
  await call(`/imports/${view.id}/start`, { method: 'POST' });
  await waitDone(view.id);
  const res = await call(`/imports/${view.id}/rollback`, { method: 'POST' });
  expect(res.status).toBe(200);
  expect(await json(res)).toMatchObject({ status: 'rolled_back', rollback: { deleted: 1 } });
});

test('onDuplicate fill over HTTP fills empty fields, and its rollback restores them', async () => {
  const first = await json<{ id: string }>(
    await upload('First Name,Email\nFay,fay@example.com\n', 'f.csv', 'clients'),
  );
  await call(`/imports/${first.id}/start`, { method: 'POST' });
  await waitDone(first.id);
  const csv = 'First Name,Email,City\nFayette,fay@example.com,Oslo\n';
  const second = await json<{ id: string }>(await upload(csv, 'g.csv', 'clients'));
  const started = await call(`/imports/${second.id}/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ onDuplicate: 'fill' }),
  });
  expect(started.status).toBe(202);
  expect(await waitDone(second.id)).toMatchObject({
    onDuplicate: 'fill',
    counts: { total: 1, imported: 0, updated: 1, unchanged: 0, skipped: 0 },
  });
  const rolled = await call(`/imports/${second.id}/rollback`, { method: 'POST' });
  expect(await json(rolled)).toMatchObject({ rollback: { deleted: 0, restored: 1, kept: 0 } });
});

test('clients are linked to companies: the company shows its contacts, and linkCompanies false turns it off', async () => {
  const csv = 'First Name,Email,Company\nKai,kai@example.com,Linkco\nLea,lea@example.com,LINKCO\n';
  const view = await json<{ id: string }>(await upload(csv, 'k.csv', 'clients'));
  await call(`/imports/${view.id}/start`, { method: 'POST' });
  expect(await waitDone(view.id)).toMatchObject({
    linkCompanies: true,
    counts: { imported: 2, companiesCreated: 1, companiesLinked: 2 },
  });
  const list = await json<{ items: { _id: string; key: string }[] }>(
    await call('/records/companies?limit=500'),
  );
  const linkco = list.items.find((c) => c.key === 'linkco')!;
  const company = await call(`/records/companies/${linkco._id}`);
  expect(await json(company)).toMatchObject({ key: 'linkco', fields: { name: 'Linkco' }, contacts: 2 });
  const page = await json<{ total: number; items: { key: string; companyId: string }[] }>(
    await call(`/records/companies/${linkco._id}/contacts?limit=1`),
  );
  expect(page.total).toBe(2);
  expect(page.items).toHaveLength(1);
  expect(page.items[0]!.companyId).toBe(linkco._id);
  expect((await call('/records/companies/000000000000000000000000')).status).toBe(404);
  expect((await call('/records/companies/not-an-id/contacts')).status).toBe(404);

  const off = await json<{ id: string }>(
    await upload('First Name,Email,Company\nMo,mo@example.com,Offco\n', 'o.csv', 'clients'),
  );
  await call(`/imports/${off.id}/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ linkCompanies: false }),
  });
  expect(await waitDone(off.id)).toMatchObject({ linkCompanies: false, counts: { imported: 1 } });
  const after = await json<{ items: { key: string }[] }>(await call('/records/companies?limit=500'));
  expect(after.items.map((c) => c.key)).not.toContain('offco');
});

test('an unknown onDuplicate is a clear 400', async () => {
  const view = await json<{ id: string }>(
    await upload('First Name,Email\nUma,uma@example.com\n', 'u.csv', 'clients'),
  );
  const res = await call(`/imports/${view.id}/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ onDuplicate: 'merge' }),
  });
  expect(res.status).toBe(400);
  expect(JSON.stringify(await json(res))).toContain('onDuplicate');
});

test('templates download as CSV and match the files in templates/', async () => {
  for (const type of ['clients', 'leads', 'companies']) {
    const res = await call(`/templates/${type}`);
    expect(res.headers.get('content-disposition')).toContain(`intake-${type}-template.csv`);
    expect(await res.text()).toBe(readFileSync(join(__dirname, '../../templates', `${type}.csv`), 'utf8'));
  }
});

test('health reports MongoDB and Redis without an API key', async () => {
  const res = await call('/health', {}, null);
  expect(res.status).toBe(200);
  expect(await json(res)).toEqual({ status: 'ok', mongodb: 'up', redis: 'up' });
});

test('OpenAPI documents the import endpoints', async () => {
  const doc = await json<{ paths: Record<string, unknown> }>(await call('/docs/openapi.json', {}, null));
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining([
      '/imports',
      '/imports/{id}',
      '/imports/{id}/mapping',
      '/imports/{id}/start',
      '/imports/{id}/report',
      '/imports/{id}/rollback',
      '/templates/{type}',
      '/records/{type}',
    ]),
  );
});

test('the queue dashboard is not served without an operator key, and an API key does not change that', async () => {
  expect((await call('/admin/queues', {}, null)).status).toBe(404);
  expect((await call('/admin/queues', {})).status).toBe(404);
});
