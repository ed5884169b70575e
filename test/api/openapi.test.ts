import { z } from 'zod';
import { ON_DUPLICATE } from '../../src/engine/imports/import.schema';
import { changeMappingBody, listQuery, startBody, uploadFields } from '../../src/doors/http/imports.dto';
import { recordsPageQuery } from '../../src/doors/http/records.dto';
import { Harness, startHarness } from '../support/intake-harness';

// The published OpenAPI description: generated from the zod schemas that validate each body and
// query, and complete enough for a client to call every import endpoint and read every refusal.

interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema: Record<string, unknown> }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { description: string }>;
}
interface Schema {
  type?: string;
  properties?: Record<string, Schema & { enum?: string[]; description?: string }>;
  required?: string[];
  items?: Schema;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

let h: Harness;
let doc: Doc;
beforeAll(async () => {
  h = await startHarness('openapi');
  const res = await fetch(`${h.url}/docs/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as Doc;
});
afterAll(() => h.close());

function op(path: string, method: string): Operation {
  const o = doc.paths[path]?.[method];
  if (!o) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
  return o;
}

/** The body schema an operation names, resolved from components. */
function bodySchema(o: Operation, type = 'application/json'): Schema {
  const ref = o.requestBody?.content[type]?.schema.$ref ?? '';
  const schema = doc.components.schemas[ref.replace('#/components/schemas/', '')];
  if (!schema) throw new Error(`no schema behind ${ref || 'the body'}`);
  return schema;
}

const keys = (schema: z.ZodObject) => Object.keys(schema.shape).sort();

test('every body is the zod schema that validates it: the same fields, enums and required ones', () => {
  const start = bodySchema(op('/imports/{id}/start', 'post'));
  expect(Object.keys(start.properties ?? {}).sort()).toEqual(keys(startBody));
  expect(start.properties?.onDuplicate?.enum).toEqual([...ON_DUPLICATE]);
  expect(start.properties?.dryRun?.description).toMatch(/without writing records/);

  const mapping = bodySchema(op('/imports/{id}/mapping', 'put'));
  expect(Object.keys(mapping.properties ?? {}).sort()).toEqual(keys(changeMappingBody));
  expect(mapping.properties?.columns?.items?.required).toEqual(['index', 'field']);
  expect(mapping.properties?.mapping?.description).toMatch(/custom field/);

  const upload = bodySchema(op('/imports', 'post'), 'multipart/form-data');
  expect(upload.required).toEqual(['file']);
  expect(Object.keys(upload.properties ?? {}).sort()).toEqual([...keys(uploadFields), 'file'].sort());
});

test('every query parameter is documented from its schema, with its bounds', () => {
  const names = (o: Operation) => (o.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
  expect(names(op('/imports', 'post')).sort()).toEqual(keys(uploadFields));
  expect(names(op('/imports', 'get'))).toEqual(keys(listQuery));
  expect(op('/imports', 'get').parameters?.[0]?.schema).toMatchObject({ type: 'integer', maximum: 100 });
  for (const path of ['/records/{type}', '/records/companies/{id}/contacts'])
    expect(names(op(path, 'get')).sort()).toEqual(keys(recordsPageQuery));
});

test('every reference resolves, and the old DTO classes are gone', () => {
  const refs = [...JSON.stringify(doc.paths).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map(
    (m) => m[1]!,
  );
  expect(refs.length).toBeGreaterThanOrEqual(3);
  for (const ref of refs) expect(doc.components.schemas[ref]).toBeDefined();
  expect(Object.keys(doc.components.schemas).filter((k) => k.endsWith('Dto'))).toEqual([]);
});

test('the refusals are described with their error codes', () => {
  const upload = op('/imports', 'post').responses;
  for (const code of [
    'empty_file',
    'no_header',
    'binary_file',
    'excel_file',
    'encrypted_file',
    'unknown_sheet',
  ])
    expect(upload['400']?.description).toContain(code);
  expect(upload['413']?.description).toMatch(/file_too_large[\s\S]*storage_full/);
  expect(upload['422']?.description).toContain('too_many_columns');
  expect(upload['429']?.description).toMatch(/quota_exceeded[\s\S]*too_many_uploads/);
  for (const [path, method] of [
    ['/imports/{id}/start', 'post'],
    ['/imports/{id}/mapping', 'put'],
    ['/imports', 'get'],
    ['/records/{type}', 'get'],
  ] as const)
    expect(op(path, method).responses['400']?.description).toContain('invalid_request');
});

test('a body or query its schema refuses is answered 400 invalid_request, naming the field', async () => {
  const auth = { Authorization: `Bearer ${h.apiKey}`, 'Content-Type': 'application/json' };
  const start = await fetch(`${h.url}/imports/imp_none/start`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ onDuplicate: 'overwrite' }),
  });
  expect(start.status).toBe(400);
  expect(((await start.json()) as { error: { code: string; message: string } }).error).toMatchObject({
    code: 'invalid_request',
    message: expect.stringContaining('onDuplicate'),
  });
  const list = await fetch(`${h.url}/imports?limit=1000`, { headers: auth });
  expect(list.status).toBe(400);
  expect(((await list.json()) as { error: { message: string } }).error.message).toContain('limit');
});
