import { request as rawRequest } from 'node:http';
import { WEB_CSP } from '../../src/protocols/http/web-page';
import { bearer, errorOf, request, storedCounts } from '../security/http-support';
import { Harness, startHarness } from '../support/intake-harness';
import { buildWebPage } from './web-browser';

// The page's files over real HTTP: its headers, the paths it takes and does not take, and the small
// read-only endpoint it added to the API.
let h: Harness;

beforeAll(async () => {
  buildWebPage();
  h = await startHarness('web-page');
});
afterAll(() => h.close());

/** A GET with the path sent exactly as written (fetch would resolve `..` first). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(h.url);
  return new Promise((resolve, reject) => {
    const req = rawRequest({ host: hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the page', () => {
  test('is served at / with a policy that allows this origin only, and no framing', async () => {
    const res = await request(h, '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toBe(WEB_CSP);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  test('has no inline script, style or handler, and names no other host', async () => {
    const html = await (await request(h, '/')).text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts).toEqual(['<script type="module" src="/web/js/main.js">']);
    expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  test('its script and stylesheet come with the same policy', async () => {
    const js = await request(h, '/web/js/main.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('content-security-policy')).toBe(WEB_CSP);
    const css = await request(h, '/web/app.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });

  test.each([
    '/web/js/../../package.json',
    '/web/js/..%2f..%2fpackage.json',
    '/web/js/%2e%2e/%2e%2e/package.json',
    '/web/js/main.js.map',
    '/web/js/.env.js',
    '/web/../package.json',
    '/web/index.html/../../package.json',
    '/web/tsconfig.json',
  ])('does not serve anything else: %s', async (path) => {
    const res = await rawGet(path);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('"scripts"');
    expect(res.body).not.toContain('compilerOptions');
  });

  test('takes only GET: a POST to / is not an endpoint and writes nothing', async () => {
    const res = await request(h, '/', { method: 'POST', body: 'x' }, bearer(h.apiKey));
    expect(res.status).toBe(404);
    expect(await storedCounts(h)).toEqual({ imports: 0, files: 0 });
  });

  test('leaves the other routes as they were', async () => {
    expect((await request(h, '/health')).status).toBe(200);
    const docs = await request(h, '/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).not.toBe(WEB_CSP);
    expect((await request(h, '/imports')).status).toBe(401);
    expect((await request(h, '/imports', {}, bearer(h.apiKey))).status).toBe(200);
    expect((await request(h, '/admin/queues')).status).toBe(404);
  });
});

describe('GET /fields/{type}', () => {
  test('answers the fields of a type with their labels and which are required', async () => {
    const res = await request(h, '/fields/clients', {}, bearer(h.apiKey));
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      type: string;
      fields: { key: string; label: string; required: boolean }[];
    };
    expect(body.type).toBe('clients');
    expect(body.fields.filter((f) => f.required).map((f) => f.key)).toEqual(['firstName', 'email']);
    expect(body.fields.find((f) => f.key === 'postalCode')).toEqual({
      key: 'postalCode',
      label: 'Postal Code',
      required: false,
    });
    const companies = (await (
      await request(h, '/fields/companies', {}, bearer(h.apiKey))
    ).json()) as typeof body;
    expect(companies.fields.filter((f) => f.required).map((f) => f.key)).toEqual(['name']);
  });

  test('needs a valid key (401) and a known type (400), and writes nothing', async () => {
    const none = await request(h, '/fields/clients');
    expect(none.status).toBe(401);
    expect((await errorOf(none)).code).toBe('unauthorized');
    expect((await request(h, '/fields/clients', {}, bearer('ik_wrong'))).status).toBe(401);
    const bad = await request(h, '/fields/__proto__', {}, bearer(h.apiKey));
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).code).toBe('invalid_type');
    expect(await storedCounts(h)).toEqual({ imports: 0, files: 0 });
  });

  test('is described in the OpenAPI document', async () => {
    const doc = (await (await request(h, '/docs/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/fields/{type}');
  });
});

describe('POST /imports/{id}/update-existing', () => {
  test('needs a valid key (401) and an import of this workspace (404), and writes nothing', async () => {
    const none = await request(h, '/imports/imp_nope/update-existing', { method: 'POST' });
    expect(none.status).toBe(401);
    const unknown = await request(
      h,
      '/imports/imp_nope/update-existing',
      { method: 'POST' },
      bearer(h.apiKey),
    );
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).code).toBe('not_found');
    expect(await storedCounts(h)).toEqual({ imports: 0, files: 0 });
  });

  test('is described in the OpenAPI document', async () => {
    const doc = (await (await request(h, '/docs/openapi.json')).json()) as {
      paths: Record<string, { post?: { summary?: string } }>;
    };
    expect(doc.paths['/imports/{id}/update-existing']?.post?.summary).toMatch(/^Update the records/);
  });
});
