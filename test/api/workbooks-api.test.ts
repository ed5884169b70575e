import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ContactRecord } from '../../src/engine/records/record.schema';
import { Harness, reportText, startHarness, uploadsSettled, waitForEnd } from '../support/intake-harness';
import { rawBook } from '../../tools/fidelity/workbook-cases';
import { twoSheetBook, workbookBytes } from '../support/workbooks';

let h: Harness;
let records: Model<ContactRecord>;

beforeAll(async () => {
  h = await startHarness('xlsx-api', { INTAKE_XLSX_MAX_SHEET_BYTES: String(1024 * 1024) });
  records = h.app.context.get(getModelToken(ContactRecord.name));
});
afterAll(() => h.close());

interface View {
  id: string;
  status: string;
  sheet: string | null;
  sheets: string[];
  columns: { header: string; field: string | null; samples: string[] }[];
}

function call(path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${h.apiKey}`);
  return fetch(`${h.url}${path}`, { ...init, headers });
}

function upload(bytes: Buffer, query = '', fileName = 'export.bin') {
  const form = new FormData();
  form.append('file', new Blob([bytes]), fileName);
  return call(`/imports${query}`, { method: 'POST', body: form });
}

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

async function storedFiles(): Promise<number> {
  await uploadsSettled(h);
  return records.db.collection('uploads.files').countDocuments({});
}

test('a workbook is read by its content: the first sheet with data, its sheets listed', async () => {
  const res = await upload(await twoSheetBook(), '?type=leads', 'no-extension');
  expect(res.status).toBe(201);
  const view = await json<View>(res);
  expect([view.sheet, view.sheets]).toEqual(['Leads', ['Leads', 'Clients']]);
  expect(view.columns.map((c) => c.header)).toEqual(['Full Name', 'Email']);
});

test('the sheet chosen over the API is imported, cells as people see them, rows numbered as the sheet', async () => {
  const res = await upload(await twoSheetBook(true), '?type=clients&sheet=Clients', 'clients.xlsx');
  expect(res.status).toBe(201);
  const view = await json<View>(res);
  expect(view.sheet).toBe('Clients');
  expect(view.columns.map((c) => [c.header, c.field])).toEqual([
    ['First Name', 'firstName'],
    ['Email', 'email'],
    ['Phone', 'phone'],
    ['Notes', 'notes'],
  ]);
  expect(view.columns[3]?.samples[0]).toBe('2024-03-05');

  expect((await call(`/imports/${view.id}/start`, { method: 'POST' })).status).toBe(202);
  const done = await waitForEnd(h, view.id);
  expect(done.counts).toMatchObject({ total: 3, imported: 2, skipped: 1 });
  const bo = await records.findOne({ importId: view.id, key: 'bo@example.com' }).lean();
  expect(bo).toMatchObject({ sourceRow: 4, phoneE164: '+14155550101', fields: { firstName: 'Bo' } });
  const report = (await reportText(h, view.id)).split('\n');
  expect(report[0]).toBe('row (sheet: Clients),reason,outcome,First Name,Email,Phone,Notes');
  expect(report[1]).toMatch(/^6,.*,Cy,not-an-email,4155550102,bad$/);
});

test('the sheet can be changed while the import awaits its mapping; an unknown sheet is named', async () => {
  const view = await json<View>(await upload(await twoSheetBook(), '?type=clients'));
  const put = (body: unknown) =>
    call(`/imports/${view.id}/mapping`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const changed = await json<View>(await put({ sheet: '2' }));
  expect([changed.sheet, changed.columns.map((c) => c.header)]).toEqual([
    'Clients',
    ['First Name', 'Email', 'Phone', 'Notes'],
  ]);
  const unknown = await put({ sheet: 'Deals' });
  expect(unknown.status).toBe(400);
  const body = await json<{ error: { code: string; message: string } }>(unknown);
  expect(body.error).toMatchObject({
    code: 'unknown_sheet',
    message: expect.stringContaining('"Leads", "Clients"'),
  });
});

test('a sheet asked of a CSV is refused, nothing kept', async () => {
  const before = await storedFiles();
  const res = await upload(
    Buffer.from('Name,Email\nAna,ana@example.com\n'),
    '?type=clients&sheet=1',
    'people.csv',
  );
  expect(res.status).toBe(400);
  expect((await json<{ error: { code: string } }>(res)).error.code).toBe('unknown_sheet');
  expect(await storedFiles()).toBe(before);
});

test.each([
  ['a legacy .xls', 'excel_file', /save it as \.xlsx or CSV/],
  ['a password-protected workbook', 'encrypted_file', /password-protected/],
  ['a damaged workbook', 'unreadable_workbook', /could not be read/],
  ['a workbook with no sheet holding data', 'empty_file', /No visible sheet/],
  ['a sheet that unpacks past the limit', 'workbook_too_large', /unpacks to more than 1 MB/],
])('%s is refused with a clear message and nothing is kept', async (name, code, message) => {
  const before = await storedFiles();
  const res = await upload(await badWorkbook(name), '?type=clients', 'book.xlsx');
  expect(res.status).toBe(400);
  expect((await json<{ error: { code: string; message: string } }>(res)).error).toMatchObject({
    code,
    message: expect.stringMatching(message),
  });
  expect(await storedFiles()).toBe(before);
});

const CFB = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

async function badWorkbook(name: string): Promise<Buffer> {
  switch (name) {
    case 'a legacy .xls':
      return Buffer.concat([CFB, Buffer.alloc(504), Buffer.from('Workbook', 'utf16le')]);
    case 'a password-protected workbook':
      return Buffer.concat([CFB, Buffer.alloc(504), Buffer.from('EncryptedPackage', 'utf16le')]);
    case 'a damaged workbook':
      return Buffer.from('PK\u0003\u0004rest-of-a-zip');
    case 'a workbook with no sheet holding data':
      return workbookBytes((book) => void book.addWorksheet('Empty'));
    default:
      // Repetitive rows compress well: far over 1 MB unpacked, a fraction of it stored.
      return workbookBytes((book) => {
        const sheet = book.addWorksheet('Big');
        sheet.addRow(['Name', 'Email']);
        for (let i = 0; i < 20_000; i++) sheet.addRow(['Same Name', 'same@example.com']);
      });
  }
}

test('OpenAPI describes the sheet choice at upload and in a mapping change', async () => {
  const doc = JSON.stringify(await json(await fetch(`${h.url}/docs/openapi.json`)));
  const spec = JSON.parse(doc) as {
    paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
    components: { schemas: Record<string, { properties: Record<string, unknown> }> };
  };
  expect(spec.paths['/imports']?.post?.parameters?.map((p) => p.name)).toContain('sheet');
  expect(Object.keys(spec.components.schemas.ChangeMappingBody?.properties ?? {})).toContain('sheet');
  expect(doc).toContain('encrypted_file');
});

test('a workbook as odd producers write it is imported cell for cell as Excel shows it', async () => {
  // UTF-16 parts, the workbook found through _rels/.rels, its sheet state="show"; cells with an empty
  // shared-string index, _xHHHH_ escapes, CDATA, an inline string that also carries <v>, a duration.
  const strings = ['First Name', 'Email', 'Notes', 'Time spent', 'Ana', 'ana_x005F_g@example.com'];
  const s = (ref: string, i: number) => `<c r="${ref}" t="s"><v>${i}</v></c>`;
  const bytes = rawBook({
    encoding: 'utf16le',
    layout: 'elsewhere',
    sheetState: 'show',
    strings,
    styles:
      '<numFmts count="1"><numFmt numFmtId="164" formatCode="[hh]:mm:ss"/></numFmts>' +
      '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>',
    rows:
      `<row r="1">${s('A1', 0)}${s('B1', 1)}${s('C1', 2)}${s('D1', 3)}</row>` +
      `<row r="2">${s('A2', 4)}${s('B2', 5)}<c r="C2" t="s"/><c r="D2" s="1"><v>10.6320601851852</v></c></row>` +
      '<row r="3"><c r="A3" t="inlineStr"><is><t><![CDATA[Bo & Co]]></t></is></c>' +
      '<c r="B3" t="inlineStr"><is><t>bo.odd@example.com</t></is><v>bo.odd@example.com</v></c>' +
      '<c r="C3" t="inlineStr"><is><t>line_x000D_two</t></is></c></row>',
  });
  const res = await upload(bytes, '?type=clients', 'mobile.xlsx');
  expect(res.status).toBe(201);
  const view = await json<View>(res);
  expect(view.sheet).toBe('Clients');
  expect(view.columns.map((c) => c.header)).toEqual(['First Name', 'Email', 'Notes', 'Time spent']);
  expect(view.columns[3]?.samples).toContain('255:10:10');
  expect(view.columns[2]?.samples).not.toContain('First Name');
  expect((await call(`/imports/${view.id}/start`, { method: 'POST' })).status).toBe(202);
  expect((await waitForEnd(h, view.id)).counts).toMatchObject({ total: 2, imported: 2 });
  const ana = await records.findOne({ importId: view.id, key: 'ana_g@example.com' }).lean();
  expect(ana?.fields).toMatchObject({ firstName: 'Ana' });
  expect(ana?.fields).not.toHaveProperty('notes');
  const bo = await records.findOne({ importId: view.id, key: 'bo.odd@example.com' }).lean();
  expect(bo?.fields).toMatchObject({ firstName: 'Bo & Co', notes: 'line\rtwo' });
});
