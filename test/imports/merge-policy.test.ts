import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ContactRecord } from '../../src/engine/records/record.schema';
import { RecordChange } from '../../src/engine/records/record-change.schema';
import { Harness, importCsv, reportText, startHarness } from '../support/intake-harness';

let h: Harness;
let records: Model<ContactRecord>;
let changes: Model<RecordChange>;

beforeAll(async () => {
  h = await startHarness('merge');
  records = h.app.context.get(getModelToken(ContactRecord.name));
  changes = h.app.context.get(getModelToken(RecordChange.name));
});
afterAll(() => h.close());
beforeEach(async () => {
  await records.deleteMany({});
  await changes.deleteMany({});
});

const fieldsOf = async (key: string) => (await records.findOne({ key }).lean())?.fields;

const EXISTING = [
  'First Name,Last Name,Email,City,Phone',
  'Ana,García,ana@example.com,,+34 612 345 678',
  'Bob,Stone,bob@example.com,Leeds,',
  'Cleo,Park,cleo@example.com,Paris,',
].join('\n');

// Ana: city empty → filled, last name differs; Bob: every value equal; Cleo: city differs; Dan: new.
const INCOMING = [
  'First Name,Last Name,Email,City,Phone',
  'Ana,Gómez,ana@example.com,Madrid,',
  'Bob,Stone,bob@example.com,Leeds,',
  'Cleo,,cleo@example.com,Lyon,',
  'Dan,Ray,dan@example.com,,',
].join('\n');

test('fill writes only the fields that are empty on the existing record and overwrites nothing', async () => {
  await importCsv(h, EXISTING, 'clients');
  const fill = await importCsv(h, INCOMING, 'clients', { onDuplicate: 'fill' });
  expect(fill.counts).toEqual({
    total: 4,
    imported: 1,
    updated: 1,
    unchanged: 2,
    skipped: 0,
    flagged: 0,
  });
  expect(await fieldsOf('ana@example.com')).toMatchObject({ lastName: 'García', city: 'Madrid' });
  expect(await fieldsOf('cleo@example.com')).toMatchObject({ lastName: 'Park', city: 'Paris' });
  expect(await fieldsOf('dan@example.com')).toMatchObject({ firstName: 'Dan' });
  // Unchanged rows are not skipped: the report has none of them.
  expect((await reportText(h, fill.id)).trim().split('\n')).toHaveLength(1);
});

test('update counts only the records it changed; a row equal to its record is unchanged', async () => {
  await importCsv(h, EXISTING, 'clients');
  const update = await importCsv(h, INCOMING, 'clients', { onDuplicate: 'update' });
  expect(update.counts).toEqual({
    total: 4,
    imported: 1,
    updated: 2,
    unchanged: 1,
    skipped: 0,
    flagged: 0,
  });
  expect(await fieldsOf('ana@example.com')).toMatchObject({ lastName: 'Gómez', city: 'Madrid' });
  // An empty cell never clears a value.
  expect(await fieldsOf('cleo@example.com')).toMatchObject({ lastName: 'Park', city: 'Lyon' });
  const bob = await records.findOne({ key: 'bob@example.com' }).lean();
  expect(bob?.version).toBe(1); // not written at all
});

test.each(['update', 'fill'] as const)(
  'a dry run (%s) reports the counts of the real run and writes nothing',
  async (onDuplicate) => {
    await importCsv(h, EXISTING, 'clients');
    const before = await records.find({}).sort({ key: 1 }).lean();
    const dry = await importCsv(h, INCOMING, 'clients', { onDuplicate, dryRun: true });
    expect(await records.find({}).sort({ key: 1 }).lean()).toEqual(before);
    expect(await changes.countDocuments({})).toBe(0);
    const real = await importCsv(h, INCOMING, 'clients', { onDuplicate });
    expect(dry.counts).toEqual(real.counts);
    expect(dry.counts.unchanged).toBe(onDuplicate === 'fill' ? 2 : 1);
  },
);

test('total is imported + updated + unchanged + skipped', async () => {
  await importCsv(h, EXISTING, 'clients');
  const csv = `${INCOMING}\nEve,,not-an-email,,\nAna,Again,ana@example.com,,\n`;
  const done = await importCsv(h, csv, 'clients', { onDuplicate: 'update' });
  const c = done.counts;
  expect(c.skipped).toBe(2);
  expect(c.total).toBe(c.imported + c.updated + c.unchanged + c.skipped);
});

test('an update keeps the previous values of the fields it changed, once per record', async () => {
  await importCsv(h, EXISTING, 'clients');
  const update = await importCsv(h, INCOMING, 'clients', { onDuplicate: 'update' });
  const kept = await changes.find({ importId: update.id }).sort({ key: 1 }).lean();
  expect(kept.map((c) => [c.key, c.before, c.absent, c.fromVersion, c.toVersion])).toEqual([
    ['ana@example.com', { lastName: 'García' }, ['city'], 1, 2],
    ['cleo@example.com', { city: 'Paris' }, [], 1, 2],
  ]);
});
