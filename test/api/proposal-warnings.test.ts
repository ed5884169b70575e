import { Harness, startHarness } from '../support/intake-harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('proposal-warnings');
});
afterAll(() => h.close());

interface Column {
  header: string;
  field: string | null;
  confidence: number;
  reason?: string | null;
  warning?: string;
}

function call(path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${h.apiKey}`);
  return fetch(`${h.url}${path}`, { ...init, headers });
}

async function upload(csv: string): Promise<{ id: string; type: string; columns: Column[] }> {
  const form = new FormData();
  form.append('file', new Blob([csv]), 'people.csv');
  const res = await call('/imports', { method: 'POST', body: form });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; type: string; columns: Column[] };
}

const contradicted =
  'Name,Phone,Column3\nAna García,ana@example.com,Spain\nBen Okafor,ben@example.com,France\n';

test('the proposal carries each column’s reason and a warning where the values contradict the header', async () => {
  const view = await upload(contradicted);
  expect(view.columns.map((c) => [c.field, c.reason])).toEqual([
    ['fullName', 'header+values'],
    ['phone', 'header'],
    ['country', 'values'],
  ]);
  expect(view.columns[1]?.warning).toBe(
    'The column "Phone" holds e-mail addresses, not Phone values: check it.',
  );
  expect(view.columns[1]?.confidence).toBeLessThan(0.6);
  // What the API answered is what the import keeps.
  const stored = await h.imports.get(h.workspaceId, view.id);
  expect(stored.columns[1]).toMatchObject({ field: 'phone', warning: view.columns[1]?.warning });
});

test('a person’s choice for the column answers its warning', async () => {
  const view = await upload(contradicted);
  const res = await call(`/imports/${view.id}/mapping`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ mapping: { Phone: 'email' } }),
  });
  expect(res.status).toBe(200);
  const changed = (await res.json()) as { columns: Column[] };
  expect(changed.columns[1]).toMatchObject({ field: 'email', confidence: 1 });
  expect(changed.columns[1]).not.toHaveProperty('warning');
  const stored = await h.imports.get(h.workspaceId, view.id);
  expect(stored.columns[1]).not.toHaveProperty('warning');
});

test('the type is guessed from the whole file: an accounts export is companies', async () => {
  const accounts =
    'Account Name,Account Number,Primary Contact,Email,Main Phone\n' +
    'Fourth Coffee,ACC-1001,Ana Lopez,info@fourthcoffee.example.com,+1 425 555 0100\n';
  expect((await upload(accounts)).type).toBe('companies');
});
