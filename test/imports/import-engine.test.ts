import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ContactRecord } from '../../src/engine/records/record.schema';
import {
  Harness,
  importCsv,
  reportText,
  startHarness,
  uploadCsv,
  uploadsSettled,
  waitForEnd,
} from '../support/intake-harness';

let h: Harness;
let records: Model<ContactRecord>;

beforeAll(async () => {
  h = await startHarness('engine');
  records = h.app.context.get(getModelToken(ContactRecord.name));
});
afterAll(() => h.close());
beforeEach(() => records.deleteMany({}));

const CLIENTS = [
  'First Name,Last Name,Email,Phone,Website,Tags',
  'Ana,García,ANA@Example.com ,+34 612 345 678,acme.example.com,vip; newsletter',
  'Bob,Stone,bob@example,+1 202 555 0100,,', // invalid email: skipped
  ',Nobody,nobody@example.com,,,', // missing first name: skipped
  'Ana,Dup,ana@example.com,,,', // duplicate of row 2
  'Cleo,Park,cleo@example.com,call me maybe,not a url,', // flagged twice, imported
  '',
  'Dan,Ray,dan@example.com,,,',
].join('\n');

test('imports valid rows, skips bad and duplicate rows with reasons, flags warnings', async () => {
  const done = await importCsv(h, CLIENTS, 'clients');
  expect(done.status).toBe('completed');
  expect(done.counts).toEqual({ total: 6, imported: 3, updated: 0, unchanged: 0, skipped: 3, flagged: 1 });
  const ana = await records.findOne({ key: 'ana@example.com' }).lean();
  expect(ana?.fields).toMatchObject({
    firstName: 'Ana',
    lastName: 'García',
    email: 'ana@example.com',
    tags: ['vip', 'newsletter'],
  });
  expect(ana?.fields.website).toBe('https://acme.example.com');
  expect(ana?.phoneE164).toBe('+34612345678');
  expect(ana?.importId).toBe(done.id);
});

test('the report lists row, reason, outcome and the original cells', async () => {
  const done = await importCsv(h, CLIENTS, 'clients');
  const lines = (await reportText(h, done.id)).trim().split('\n');
  expect(lines[0]).toBe('row,reason,outcome,First Name,Last Name,Email,Phone,Website,Tags');
  expect(lines[1]).toMatch(/^3,"?invalid email/);
  expect(lines[2]).toMatch(/^4,missing required field First Name,/);
  expect(lines[3]).toBe('5,duplicate of row 2,skipped,Ana,Dup,ana@example.com,,,');
  // A flagged row was imported, and is named with its warnings.
  expect(lines[4]).toMatch(/^6,.*could not be parsed.*is not a URL.*,imported with warning,Cleo,Park,/);
});

test('a report sent back imports cleanly: row, reason and outcome are left out, the apostrophes removed', async () => {
  const first = await importCsv(
    h,
    'First Name,Email,Phone,Notes\nBo,bo@example,+1 312 555 0177,=1+2\n',
    'clients',
  );
  const report = await reportText(h, first.id);
  expect(report).toContain(`,skipped,Bo,bo@example,'+1 312 555 0177,'=1+2`);
  const back = await uploadCsv(h, report.replace('bo@example,', 'bo@example.com,'), 'clients');
  expect(back.columns.slice(0, 3).map((c) => c.field)).toEqual([null, null, null]);
  expect(back.missingRequired).toEqual([]);
  await h.imports.start(h.workspaceId, back.id);
  expect((await waitForEnd(h, back.id)).counts).toMatchObject({ imported: 1, skipped: 0, flagged: 0 });
  const bo = await records.findOne({ key: 'bo@example.com' }).lean();
  expect(bo?.fields).toEqual({
    firstName: 'Bo',
    email: 'bo@example.com',
    phone: '+1 312 555 0177',
    notes: '=1+2',
  });
});

test('report cells that a spreadsheet would run as formulas are neutralised', async () => {
  const done = await importCsv(h, 'First Name,Email\n=HYPERLINK("x"),bad\n', 'clients');
  const report = await reportText(h, done.id);
  expect(report).toContain(`'=HYPERLINK`);
});

test('existing records are skipped as "already exists" by default', async () => {
  await importCsv(h, 'First Name,Email\nAna,ana@example.com\n', 'clients');
  const second = await importCsv(
    h,
    'First Name,Email\nAnita,ana@example.com\nBea,bea@example.com\n',
    'clients',
  );
  expect(second.counts).toEqual({
    total: 2,
    imported: 1,
    updated: 0,
    unchanged: 0,
    skipped: 1,
    flagged: 0,
    existing: 1,
  });
  expect(await reportText(h, second.id)).toContain('2,already exists,skipped,Anita,ana@example.com');
  expect((await records.findOne({ key: 'ana@example.com' }).lean())?.fields.firstName).toBe('Ana');
});

test('onDuplicate update takes the non-empty values of the row', async () => {
  await importCsv(h, 'First Name,Last Name,Email\nAna,García,ana@example.com\n', 'clients');
  const second = await importCsv(h, 'First Name,Last Name,Email\nAnita,,ana@example.com\n', 'clients', {
    onDuplicate: 'update',
  });
  expect(second.counts).toEqual({ total: 1, imported: 0, updated: 1, unchanged: 0, skipped: 0, flagged: 0 });
  const ana = await records.findOne({ key: 'ana@example.com' }).lean();
  expect(ana?.fields).toMatchObject({ firstName: 'Anita', lastName: 'García' });
});

test('a dry run reports the same counts and writes no record', async () => {
  await importCsv(h, 'First Name,Email\nAna,ana@example.com\n', 'clients');
  const dry = await importCsv(
    h,
    'First Name,Email\nAna,ana@example.com\nBea,bea@example.com\nBea,bea@example.com\n',
    'clients',
    { dryRun: true },
  );
  expect(dry.counts).toEqual({
    total: 3,
    imported: 1,
    updated: 0,
    unchanged: 0,
    skipped: 2,
    flagged: 0,
    existing: 1,
  });
  expect(await records.countDocuments({})).toBe(1);
});

test('a finished dry run can be started for real', async () => {
  const dry = await importCsv(h, 'First Name,Email\nAna,ana@example.com\n', 'clients', { dryRun: true });
  await h.imports.start(h.workspaceId, dry.id);
  const { waitForEnd } = await import('../support/intake-harness');
  const real = await waitForEnd(h, dry.id);
  expect(real.dryRun).toBe(false);
  expect(real.counts.imported).toBe(1);
  expect(await records.countDocuments({ importId: dry.id })).toBe(1);
});

test('rollback deletes the records the import created and restores the ones it updated', async () => {
  await importCsv(h, 'First Name,Email\nAna,ana@example.com\n', 'clients');
  const second = await importCsv(
    h,
    'First Name,Email\nAnita,ana@example.com\nBea,bea@example.com\n',
    'clients',
    { onDuplicate: 'update' },
  );
  const rolled = await h.imports.rollback(h.workspaceId, second.id);
  expect(rolled.status).toBe('rolled_back');
  expect(rolled.rollback).toMatchObject({ deleted: 1, restored: 1, kept: 0 });
  const left = await records.find({}).lean();
  expect(left.map((r) => [r.key, r.fields.firstName])).toEqual([['ana@example.com', 'Ana']]);
});

test('companies de-duplicate on the case-folded, whitespace-collapsed name and parse employees', async () => {
  const done = await importCsv(
    h,
    'Company Name,Employees\nAcme  Analytics,"1,200"\nacme analytics,5\nNordwind,lots\n',
    'companies',
  );
  expect(done.counts).toEqual({ total: 3, imported: 2, updated: 0, unchanged: 0, skipped: 1, flagged: 1 });
  const acme = await records.findOne({ key: 'acme analytics' }).lean();
  expect(acme?.fields.employees).toBe(1200);
  expect((await records.findOne({ key: 'nordwind' }).lean())?.fields.employees).toBeUndefined();
});

test('a full-name column is split and satisfies the first-name requirement', async () => {
  const done = await importCsv(
    h,
    'Name,Email\nAna García,ana@example.com\n"Stone, Bob",bob@example.com\n',
    'clients',
  );
  expect(done.counts.imported).toBe(2);
  const bob = await records.findOne({ key: 'bob@example.com' }).lean();
  expect(bob?.fields).toMatchObject({ firstName: 'Bob', lastName: 'Stone' });
  expect(bob?.fields).not.toHaveProperty('fullName');
});

test('rows with a surplus non-empty value are skipped; empty surplus cells are ignored', async () => {
  const done = await importCsv(
    h,
    'First Name,Email\nAna,ana@example.com,,\nBob,bob@example.com,oops\n',
    'clients',
  );
  expect(done.counts).toEqual({ total: 2, imported: 1, updated: 0, unchanged: 0, skipped: 1, flagged: 0 });
  expect(await reportText(h, done.id)).toMatch(/3,row has 3 values but the header has 2 columns/);
});

test('an unterminated quote at the end skips that record and keeps the rows before it', async () => {
  const done = await importCsv(
    h,
    'First Name,Email,Notes\nAna,ana@example.com,ok\nBob,bob@example.com,"never closed\n',
    'clients',
  );
  expect(done.status).toBe('completed');
  expect(done.counts).toEqual({ total: 2, imported: 1, updated: 0, unchanged: 0, skipped: 1, flagged: 0 });
  expect(await reportText(h, done.id)).toMatch(/\n3,/);
});

test('a binary tail fails the import with the row, after importing the rows before it', async () => {
  const head = 'First Name,Email\nAna,ana@example.com\nBea,bea@example.com\n';
  const file = Buffer.concat([Buffer.from(head), Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 10, 0, 0, 7])]);
  const done = await importCsv(h, file, 'clients');
  expect(done.status).toBe('failed');
  expect(done.error?.row).toBe(4);
  expect(done.error?.message).toMatch(/binary/i);
  expect(await records.countDocuments({ importId: done.id })).toBe(2);
});

test('a mapping a person ran for real is suggested with full confidence next time', async () => {
  const first = await uploadCsv(h, 'Given,Electronic Address\nAna,ana@example.com\n', 'clients');
  await h.imports.changeMapping(h.workspaceId, first.id, undefined, {
    byHeader: { Given: 'firstName', 'Electronic Address': 'email' },
  });
  await h.imports.start(h.workspaceId, first.id, { byPerson: true });
  await waitForEnd(h, first.id);
  const next = await uploadCsv(h, 'Given,Electronic Address\nBea,bea@example.com\n', 'clients');
  expect(next.columns.map((c) => [c.field, c.confidence])).toEqual([
    ['firstName', 1],
    ['email', 1],
  ]);
});

test('starting with a required field unmapped is refused with a clear message', async () => {
  const view = await uploadCsv(h, 'First Name,Phone\nAna,123\n', 'clients');
  await expect(h.imports.start(h.workspaceId, view.id)).rejects.toMatchObject({
    code: 'missing_required',
    // Door-neutral: each door adds its own next step (a request, a select, a --mapping).
    message: 'Required field not mapped: Email. Map a column to it.',
    details: { missingRequired: ['email'], type: 'clients' },
  });
  expect((await h.imports.get(h.workspaceId, view.id)).status).toBe('awaiting_mapping');
});

test('two columns claiming one field are refused at start', async () => {
  const view = await uploadCsv(
    h,
    'First Name,Email,Work Email\nAna,a@example.com,b@example.com\n',
    'clients',
  );
  await h.imports.changeMapping(h.workspaceId, view.id, undefined, {
    byIndex: [{ index: 2, field: 'email' }],
  });
  await expect(h.imports.start(h.workspaceId, view.id)).rejects.toMatchObject({ code: 'invalid_mapping' });
});

test.each([
  ['an empty file', '', 'empty_file'],
  [
    'a damaged Excel workbook',
    Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 6, 0, 8, 0, 0, 0, 33, 0]),
    'unreadable_workbook',
  ],
  [
    'a legacy .xls workbook',
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
    'excel_file',
  ],
])('%s is rejected and nothing is kept', async (_name, bytes, code) => {
  const files = records.db.collection('uploads.files');
  const importsBefore = (await h.imports.list(h.workspaceId, 100)).length;
  await uploadsSettled(h);
  const filesBefore = await files.countDocuments({});
  await expect(uploadCsv(h, bytes, 'clients')).rejects.toMatchObject({ code });
  expect((await h.imports.list(h.workspaceId, 100)).length).toBe(importsBefore);
  expect(await files.countDocuments({})).toBe(filesBefore);
});
