import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ContactRecord } from '../../src/engine/records/record.schema';
import { Harness, importCsv, startHarness, uploadCsv, waitForEnd } from '../support/intake-harness';

let h: Harness;
let records: Model<ContactRecord>;

beforeAll(async () => {
  // Three slots, so the workspace runs two imports at once (it never takes the last free one).
  h = await startHarness('companies', { INTAKE_WORKER_CONCURRENCY: '3', INTAKE_BATCH_SIZE: '50' });
  records = h.app.context.get(getModelToken(ContactRecord.name));
});
afterAll(() => h.close());
beforeEach(() => records.deleteMany({}));

const companies = () => records.find({ type: 'companies' }).sort({ key: 1 }).lean();

test('clients are linked to the company of their name, created once when missing', async () => {
  await importCsv(h, 'Company Name,Industry\nNordwind,Shipping\n', 'companies');
  const done = await importCsv(
    h,
    [
      'First Name,Email,Company',
      'Ana,ana@example.com,Acme  Inc',
      'Bob,bob@example.com,acme inc',
      'Cleo,cleo@example.com,NORDWIND',
      'Dan,dan@example.com,',
    ].join('\n'),
    'clients',
  );
  expect(done.counts).toMatchObject({ imported: 4, companiesCreated: 1, companiesLinked: 3 });
  const [acme, nordwind] = await companies();
  expect(acme).toMatchObject({
    key: 'acme inc',
    fields: { name: 'Acme  Inc' },
    autoCreated: true,
    importId: done.id,
  });
  expect(nordwind?.fields).toMatchObject({ name: 'Nordwind', industry: 'Shipping' });
  const byKey = Object.fromEntries(
    (await records.find({ type: 'clients' }).lean()).map((r) => [r.key, r.companyId]),
  );
  expect(byKey).toEqual({
    'ana@example.com': String(acme!._id),
    'bob@example.com': String(acme!._id),
    'cleo@example.com': String(nordwind!._id),
    'dan@example.com': null,
  });
});

test('linking can be turned off for an import: no company is created or linked', async () => {
  const view = await uploadCsv(h, 'First Name,Email,Company\nAna,ana@example.com,Acme\n', 'clients');
  await h.imports.start(h.workspaceId, view.id, { linkCompanies: false });
  const done = await waitForEnd(h, view.id);
  expect(done.counts.companiesCreated ?? 0).toBe(0);
  expect(await companies()).toEqual([]);
  expect((await records.findOne({ key: 'ana@example.com' }).lean())?.companyId).toBeNull();
});

test('a dry run counts the companies it would create and link, and writes none', async () => {
  await importCsv(h, 'Company Name\nNordwind\n', 'companies');
  const dry = await importCsv(
    h,
    'First Name,Email,Company\nAna,ana@example.com,Acme\nBo,bo@example.com,Nordwind\n',
    'clients',
    {
      dryRun: true,
    },
  );
  expect(dry.counts).toMatchObject({ companiesCreated: 1, companiesLinked: 2 });
  expect((await companies()).map((c) => c.key)).toEqual(['nordwind']);
});

test('a dry run over many batches counts each company it would create once', async () => {
  const csv = [
    'First Name,Email,Company',
    ...Array.from({ length: 300 }, (_, i) => `N${i},d${i}@example.com,Company ${i % 60}`),
  ].join('\n');
  const dry = await importCsv(h, csv, 'clients', { dryRun: true });
  expect(dry.counts).toMatchObject({ imported: 300, companiesCreated: 60, companiesLinked: 300 });
  const real = await importCsv(h, csv, 'clients');
  expect(real.counts).toMatchObject({ imported: 300, companiesCreated: 60, companiesLinked: 300 });
});

test('rollback deletes the companies the import created that nothing links to any more', async () => {
  const first = await importCsv(
    h,
    'First Name,Email,Company\nAna,ana@example.com,Acme\nBo,bo@example.com,Solo\n',
    'clients',
  );
  // Another import's contact links to Acme: it stays.
  await importCsv(h, 'First Name,Email,Company\nCy,cy@example.com,ACME\n', 'leads');
  const rolled = await h.imports.rollback(h.workspaceId, first.id);
  expect(rolled.rollback).toMatchObject({ deleted: 2, companiesDeleted: 1 });
  expect((await companies()).map((c) => c.key)).toEqual(['acme']);
});

test('two client imports at once create each new company once and link every contact', async () => {
  const rows = (prefix: string) =>
    [
      'First Name,Email,Company',
      ...Array.from({ length: 300 }, (_, i) => `N${i},${prefix}${i}@example.com,Company ${i % 60}`),
    ].join('\n');
  const a = await uploadCsv(h, rows('a'), 'clients');
  const b = await uploadCsv(h, rows('b'), 'clients');
  await Promise.all([h.imports.start(h.workspaceId, a.id), h.imports.start(h.workspaceId, b.id)]);
  const [da, db] = await Promise.all([waitForEnd(h, a.id), waitForEnd(h, b.id)]);
  expect(da.status).toBe('completed');
  expect(db.status).toBe('completed');
  expect((da.counts.companiesCreated ?? 0) + (db.counts.companiesCreated ?? 0)).toBe(60);
  expect(da.counts.companiesLinked).toBe(300);
  expect(db.counts.companiesLinked).toBe(300);
  expect(await records.countDocuments({ type: 'companies' })).toBe(60);
  expect(await records.countDocuments({ type: 'clients', companyId: null })).toBe(0);
});
