import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { CompanyDomainBackfill } from '../../src/engine/records/company-domain-backfill';
import { CompanyDomain } from '../../src/engine/records/company-domain.schema';
import { ContactRecord } from '../../src/engine/records/record.schema';
import {
  Harness,
  importCsv,
  reportText,
  startHarness,
  uploadCsv,
  waitForEnd,
} from '../support/intake-harness';

let h: Harness;
let records: Model<ContactRecord>;
let claims: Model<CompanyDomain>;

beforeAll(async () => {
  // Three slots, so the workspace runs two imports at once (it never takes the last free one).
  h = await startHarness('company-domains', { INTAKE_WORKER_CONCURRENCY: '3', INTAKE_BATCH_SIZE: '40' });
  records = h.app.context.get(getModelToken(ContactRecord.name));
  claims = h.app.context.get(getModelToken(CompanyDomain.name));
});
afterAll(() => h.close());
beforeEach(async () => {
  await records.deleteMany({});
  await claims.deleteMany({});
});

const companies = () => records.find({ type: 'companies' }).sort({ key: 1 }).lean();

test('one website written many ways is one company, whatever its name looks like', async () => {
  const first = await importCsv(h, 'Company Name,Website\nAcme Inc,https://www.acme.com/\n', 'companies');
  expect(first.counts).toMatchObject({ imported: 1 });
  const second = await importCsv(
    h,
    'Company Name,Website\n"ACME, Inc.",acme.com\nNordwind,nordwind.de\n',
    'companies',
  );
  expect(second.counts).toMatchObject({ imported: 1, skipped: 1 });
  expect(await reportText(h, second.id)).toContain('already exists: same website domain ""acme.com""');
  expect((await companies()).map((c) => c.fields.name)).toEqual(['Acme Inc', 'Nordwind']);
});

test('two rows of one file with one domain: the second is a duplicate of the first', async () => {
  const done = await importCsv(
    h,
    'Company Name,Website\nAcme Inc,acme.com\nAcme Europe,https://shop.acme.com/eu\nBeta,beta.io\n',
    'companies',
  );
  expect(done.counts).toMatchObject({ imported: 2, skipped: 1 });
  expect(await reportText(h, done.id)).toContain('duplicate of row 2 (same website domain ""acme.com"")');
});

test('a name that is a company wins over a domain that is another', async () => {
  await importCsv(h, 'Company Name,Website\nAcme,acme.com\nBeta,\n', 'companies');
  const done = await importCsv(h, 'Company Name,Website\nBeta,acme.com\n', 'companies');
  expect(done.counts).toMatchObject({ skipped: 1 });
  expect(await reportText(h, done.id)).toMatch(/,already exists,/);
  expect(await records.countDocuments({ type: 'companies' })).toBe(2);
});

test('shared hosts and addresses name no company: profiles on one site stay apart', async () => {
  const done = await importCsv(
    h,
    [
      'Company Name,Website',
      'Acme,https://www.linkedin.com/company/acme',
      'Beta,https://www.linkedin.com/company/beta',
      'Gamma,info@gamma.de',
      'Delta,gamma.de',
    ].join('\n'),
    'companies',
  );
  expect(done.counts).toMatchObject({ imported: 4, skipped: 0, flagged: 1 });
});

test("update mode merges a row into the company of its domain and keeps that company's name", async () => {
  await importCsv(h, 'Company Name,Website,Industry\nAcme Inc,acme.com,Shipping\n', 'companies');
  const done = await importCsv(
    h,
    'Company Name,Website,Industry\n"ACME, Inc.",www.acme.com,Logistics\n',
    'companies',
    { onDuplicate: 'update' },
  );
  expect(done.counts).toMatchObject({ imported: 0, updated: 1 });
  const [acme] = await companies();
  expect(acme?.fields).toMatchObject({ name: 'Acme Inc', industry: 'Logistics' });
  expect(await records.countDocuments({ type: 'companies' })).toBe(1);
});

test('a dry run predicts the domain matches and claims nothing', async () => {
  await importCsv(h, 'Company Name,Website\nAcme Inc,acme.com\n', 'companies');
  const dry = await importCsv(h, 'Company Name,Website\nACME Corp,acme.com\nZeta,zeta.de\n', 'companies', {
    dryRun: true,
  });
  expect(dry.counts).toMatchObject({ imported: 1, skipped: 1 });
  expect((await claims.find({}).lean()).map((c) => c.domain)).toEqual(['acme.com']);
});

test('clients link by domain when their company name is new, and create one company per domain', async () => {
  await importCsv(h, 'Company Name,Website\nAcme Inc,https://acme.com\n', 'companies');
  const done = await importCsv(
    h,
    [
      'First Name,Email,Company,Website',
      'Ana,ana@example.com,ACME Incorporated,www.acme.com',
      'Bo,bo@example.com,Zeta GmbH,zeta.de',
      'Cy,cy@example.com,Zeta,https://www.zeta.de/kontakt',
    ].join('\n'),
    'clients',
  );
  expect(done.counts).toMatchObject({ imported: 3, companiesCreated: 1, companiesLinked: 3 });
  const [acme, zeta] = await companies();
  expect(zeta).toMatchObject({ key: 'zeta gmbh', autoCreated: true });
  const linked = Object.fromEntries(
    (await records.find({ type: 'clients' }).lean()).map((r) => [r.key, r.companyId]),
  );
  expect(linked).toEqual({
    'ana@example.com': String(acme!._id),
    'bo@example.com': String(zeta!._id),
    'cy@example.com': String(zeta!._id),
  });
});

test('rollback frees the domains of the companies it deleted', async () => {
  const first = await importCsv(h, 'Company Name,Website\nAcme Inc,acme.com\n', 'companies');
  await h.imports.rollback(h.workspaceId, first.id);
  expect(await claims.countDocuments({})).toBe(0);
  const again = await importCsv(h, 'Company Name,Website\nACME Corp,acme.com\n', 'companies');
  expect(again.counts).toMatchObject({ imported: 1 });
  expect((await companies()).map((c) => c.fields.name)).toEqual(['ACME Corp']);
});

test('a claim whose company was never written is taken by the next row that names the domain', async () => {
  await claims.create({
    workspaceId: h.workspaceId,
    domain: 'acme.com',
    companyKey: 'acme inc',
    name: 'Acme Inc',
    importId: 'an-import-that-died',
    sourceRow: 2,
    createdAt: new Date(),
  });
  const done = await importCsv(h, 'Company Name,Website,Industry\nACME,acme.com,Shipping\n', 'companies');
  expect(done.counts).toMatchObject({ imported: 1 });
  expect((await companies()).map((c) => [c.key, c.fields.name, c.fields.industry])).toEqual([
    ['acme inc', 'Acme Inc', 'Shipping'],
  ]);
});

test('two company imports at once naming the same domains differently create each company once', async () => {
  const rows = (name: (i: number) => string) =>
    [
      'Company Name,Website',
      ...Array.from({ length: 150 }, (_, i) => `${name(i)},https://www.firm${i}.net/`),
    ].join('\n');
  const a = await uploadCsv(
    h,
    rows((i) => `Firm ${i}`),
    'companies',
  );
  const b = await uploadCsv(
    h,
    rows((i) => `FIRM ${i} Ltd`),
    'companies',
  );
  await Promise.all([h.imports.start(h.workspaceId, a.id), h.imports.start(h.workspaceId, b.id)]);
  const [da, db] = await Promise.all([waitForEnd(h, a.id), waitForEnd(h, b.id)]);
  expect([da.status, db.status]).toEqual(['completed', 'completed']);
  expect(da.counts.imported + db.counts.imported).toBe(150);
  expect(da.counts.skipped + db.counts.skipped).toBe(150);
  expect(await records.countDocuments({ type: 'companies' })).toBe(150);
  expect(await claims.countDocuments({})).toBe(150);
});

test('companies stored before domains were claimed get theirs claimed once, the oldest first', async () => {
  const now = new Date();
  const old = (key: string, name: string, website: string) => ({
    workspaceId: h.workspaceId,
    type: 'companies',
    key,
    fields: { name, website },
    importId: null,
    sourceRow: null,
    createdAt: now,
    updatedAt: now,
  });
  await records.insertMany([
    old('acme inc', 'Acme Inc', 'https://acme.com'),
    old('acme gmbh', 'Acme GmbH', 'https://www.acme.com/de'),
    old('beta', 'Beta', 'https://www.linkedin.com/company/beta'),
  ]);
  const backfill = h.app.context.get(CompanyDomainBackfill);
  await records.db.collection('upgrades').deleteMany({});
  expect(await backfill.runOnce()).toBe(1);
  expect(await backfill.runOnce()).toBe(0);
  expect((await claims.find({}).lean()).map((c) => [c.domain, c.companyKey])).toEqual([
    ['acme.com', 'acme inc'],
  ]);
  const done = await importCsv(h, 'Company Name,Website\nACME Corp,acme.com\n', 'companies');
  expect(done.counts).toMatchObject({ imported: 0, skipped: 1 });
});

test('two client imports at once naming one company two ways by one website create it once', async () => {
  const rows = (prefix: string, name: (i: number) => string) =>
    [
      'First Name,Email,Company,Website',
      ...Array.from({ length: 120 }, (_, i) => `N${i},${prefix}${i}@example.com,${name(i)},firm${i}.net`),
    ].join('\n');
  const a = await uploadCsv(
    h,
    rows('a', (i) => `Firm ${i}`),
    'clients',
  );
  const b = await uploadCsv(
    h,
    rows('b', (i) => `FIRM ${i} Ltd`),
    'clients',
  );
  await Promise.all([h.imports.start(h.workspaceId, a.id), h.imports.start(h.workspaceId, b.id)]);
  const [da, db] = await Promise.all([waitForEnd(h, a.id), waitForEnd(h, b.id)]);
  expect([da.status, db.status]).toEqual(['completed', 'completed']);
  expect((da.counts.companiesCreated ?? 0) + (db.counts.companiesCreated ?? 0)).toBe(120);
  expect([da.counts.companiesLinked, db.counts.companiesLinked]).toEqual([120, 120]);
  expect(await records.countDocuments({ type: 'companies' })).toBe(120);
  expect(await claims.countDocuments({})).toBe(120);
  expect(await records.countDocuments({ type: 'clients', companyId: null })).toBe(0);
});
