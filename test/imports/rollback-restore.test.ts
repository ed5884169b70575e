import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ContactRecord } from '../../src/engine/records/record.schema';
import { RecordChangesRepository } from '../../src/engine/records/record-changes.repository';
import { Harness, importCsv, startHarness } from '../support/intake-harness';

let h: Harness;
let records: Model<ContactRecord>;

beforeAll(async () => {
  h = await startHarness('restore');
  records = h.app.context.get(getModelToken(ContactRecord.name));
});
afterAll(() => h.close());
beforeEach(() => records.deleteMany({}));

/** Every record's values, as a rollback must give them back. */
async function snapshot() {
  const docs = await records.find({}).sort({ key: 1 }).lean();
  return docs.map((d) => ({ key: d.key, fields: d.fields, phoneE164: d.phoneE164 }));
}

const BASE = [
  'First Name,Last Name,Email,City,Phone,Tags',
  'Ana,García,ana@example.com,,+34 612 345 678,vip',
  'Bob,Stone,bob@example.com,Leeds,,',
].join('\n');

test('rolling back an update restores the previous values, unsets what was empty, and deletes what it created', async () => {
  await importCsv(h, BASE, 'clients');
  const before = await snapshot();
  const update = await importCsv(
    h,
    [
      'First Name,Last Name,Email,City,Phone,Tags,Notes',
      'Anita,,ana@example.com,Madrid,not a phone,"vip, new",hello',
      'Bob,Stone,bob@example.com,Leeds,,,',
      'Cleo,Park,cleo@example.com,,,,',
    ].join('\n'),
    'clients',
    { onDuplicate: 'update' },
  );
  expect(update.counts).toMatchObject({ imported: 1, updated: 1, unchanged: 1 });
  const rolled = await h.imports.rollback(h.workspaceId, update.id);
  expect(rolled.rollback).toMatchObject({ deleted: 1, restored: 1, kept: 0 });
  expect(await snapshot()).toEqual(before);
});

test('rolling back a fill empties again only the fields it filled', async () => {
  await importCsv(h, BASE, 'clients');
  const before = await snapshot();
  const fill = await importCsv(
    h,
    'First Name,Email,City,Notes\nZed,ana@example.com,Madrid,n\nZed,bob@example.com,York,\n',
    'clients',
    { onDuplicate: 'fill' },
  );
  expect(fill.counts).toMatchObject({ updated: 1, unchanged: 1 });
  expect((await records.findOne({ key: 'ana@example.com' }).lean())?.fields).toMatchObject({
    firstName: 'Ana',
    city: 'Madrid',
    notes: 'n',
  });
  const rolled = await h.imports.rollback(h.workspaceId, fill.id);
  expect(rolled.rollback).toMatchObject({ deleted: 0, restored: 1, kept: 0 });
  expect(await snapshot()).toEqual(before);
});

test('rolling back the older of two updates keeps the newer one’s values; the newer restores the older’s', async () => {
  await importCsv(h, BASE, 'clients');
  const base = await snapshot();
  const older = await importCsv(h, 'First Name,Email\nAna1,ana@example.com\n', 'clients', {
    onDuplicate: 'update',
  });
  const afterOlder = await snapshot();
  const newer = await importCsv(h, 'First Name,Email\nAna2,ana@example.com\n', 'clients', {
    onDuplicate: 'update',
  });
  const afterNewer = await snapshot();

  const undoOlder = await h.imports.rollback(h.workspaceId, older.id);
  expect(undoOlder.rollback).toMatchObject({ deleted: 0, restored: 0, kept: 1 });
  expect(await snapshot()).toEqual(afterNewer);

  const undoNewer = await h.imports.rollback(h.workspaceId, newer.id);
  expect(undoNewer.rollback).toMatchObject({ deleted: 0, restored: 1, kept: 0 });
  expect(await snapshot()).toEqual(afterOlder);
  expect(afterOlder).not.toEqual(base);
});

test('a record the import created and another import changed since is kept, not deleted', async () => {
  const creator = await importCsv(
    h,
    'First Name,Email\nAna,ana@example.com\nBea,bea@example.com\n',
    'clients',
  );
  await importCsv(h, 'First Name,Email\nAnita,ana@example.com\n', 'clients', { onDuplicate: 'update' });
  const rolled = await h.imports.rollback(h.workspaceId, creator.id);
  expect(rolled.rollback).toMatchObject({ deleted: 1, restored: 0, kept: 1 });
  expect((await snapshot()).map((r) => [r.key, r.fields.firstName])).toEqual([['ana@example.com', 'Anita']]);
});

test('a record unchanged by a later import is still deleted by its creator’s rollback', async () => {
  const creator = await importCsv(h, 'First Name,Email\nAna,ana@example.com\n', 'clients');
  const same = await importCsv(h, 'First Name,Email\nAna,ana@example.com\n', 'clients', {
    onDuplicate: 'update',
  });
  expect(same.counts).toMatchObject({ updated: 0, unchanged: 1 });
  const rolled = await h.imports.rollback(h.workspaceId, creator.id);
  expect(rolled.rollback).toMatchObject({ deleted: 1, restored: 0, kept: 0 });
  expect(await records.countDocuments({})).toBe(0);
});

test('a batch retried after a crash between keeping its changes and writing its records keeps them again', async () => {
  // The retry plans the same changes and finds them kept already: it replaces them, and the rollback
  // still finds one previous value per record.
  await importCsv(h, BASE, 'clients');
  const ana = await records.findOne({ key: 'ana@example.com' }).lean();
  const kept = h.app.context.get(RecordChangesRepository);
  const change = (before: { city?: string }) => ({
    recordId: ana!._id,
    key: 'ana@example.com',
    fromVersion: ana!.version,
    lastImportBefore: ana!.lastImportId,
    plan: { set: { city: 'Madrid' }, before, absent: before.city ? [] : ['city' as const] },
  });
  await kept.keep(h.workspaceId, 'clients', 'imp_retried', [change({})]);
  await kept.keep(h.workspaceId, 'clients', 'imp_retried', [change({ city: 'Toledo' })]);
  const stored = await kept.ofRecords(h.workspaceId, 'imp_retried', [ana!._id]);
  expect(stored.map((c) => ({ before: c.before, absent: c.absent, toVersion: c.toVersion }))).toEqual([
    { before: { city: 'Toledo' }, absent: [], toVersion: ana!.version + 1 },
  ]);
});
