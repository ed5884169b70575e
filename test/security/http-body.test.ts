import { Harness, startHarness, uploadCsv } from '../support/intake-harness';
import { bearer, errorOf, request, storedCounts } from './http-support';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('sec_http_body', { INTAKE_ROLES: 'api' });
});
afterAll(() => h.close());

const csv = 'First Name,Email,Notes\nAna,ana@body.example.com,x\n';

function putMapping(id: string, body: string, auth: string | undefined = bearer(h.apiKey)) {
  return request(
    h,
    `/imports/${id}/mapping`,
    { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body },
    auth,
  );
}

test('a JSON body over the limit gets 413 with the error shape, and the mapping is untouched', async () => {
  const view = await uploadCsv(h, csv, 'clients');
  const huge = JSON.stringify({ mapping: { Notes: 'notes' }, padding: 'x'.repeat(200 * 1024) });
  const res = await putMapping(view.id, huge);
  expect(res.status).toBe(413);
  expect(await errorOf(res)).toEqual({
    code: 'body_too_large',
    message: 'The request body is larger than the limit (100 KiB).',
  });
  const after = await h.imports.get(h.workspaceId, view.id);
  expect(after.mappingVersion).toBe(view.mappingVersion);
  expect(after.columns).toEqual(view.columns);
});

test('a JSON body over the limit without a key gets 413 too, and nothing is stored', async () => {
  const before = await storedCounts(h);
  const res = await request(h, '/imports/imp_none/start', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ padding: 'x'.repeat(200 * 1024) }),
  });
  expect(res.status).toBe(413);
  expect((await errorOf(res)).code).toBe('body_too_large');
  expect(await storedCounts(h)).toEqual(before);
});

test('malformed JSON gets 400 with the error shape, and the mapping is untouched', async () => {
  const view = await uploadCsv(h, csv, 'clients');
  const res = await putMapping(view.id, '{"mapping": {"Notes": ');
  expect(res.status).toBe(400);
  expect((await errorOf(res)).code).toBe('invalid_request');
  const after = await h.imports.get(h.workspaceId, view.id);
  expect(after.mappingVersion).toBe(view.mappingVersion);
});

test('a JSON body under the limit still works', async () => {
  const view = await uploadCsv(h, csv, 'clients');
  const res = await putMapping(view.id, JSON.stringify({ mapping: { Notes: null } }));
  expect(res.status).toBe(200);
});
