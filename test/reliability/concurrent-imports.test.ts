import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ContactRecord } from '../../src/engine/records/record.schema';
import { Harness, startHarness, uploadCsv, waitForEnd } from '../support/intake-harness';

const ROWS = 5000;
const csv = ['First Name,Email', ...Array.from({ length: ROWS }, (_, i) => `P${i},p${i}@example.com`)].join(
  '\n',
);

let h: Harness;
beforeAll(async () => {
  // Three slots, so the workspace runs two imports at once (it never takes the last free one).
  h = await startHarness('concurrent', { INTAKE_WORKER_CONCURRENCY: '3', INTAKE_BATCH_SIZE: '250' });
});
afterAll(() => h.close());

test('the same file imported twice at once creates each record once, with exact counts', async () => {
  const [a, b] = await Promise.all([uploadCsv(h, csv, 'clients'), uploadCsv(h, csv, 'clients')]);
  await Promise.all([h.imports.start(h.workspaceId, a.id), h.imports.start(h.workspaceId, b.id)]);
  // Every batch of one contends with the other's for the same keys: about a minute alone on this
  // 2-core machine, longer beside other test files.
  const [da, db] = await Promise.all([waitForEnd(h, a.id, 240_000), waitForEnd(h, b.id, 240_000)]);
  const records = h.app.context.get<Model<ContactRecord>>(getModelToken(ContactRecord.name));
  expect(await records.countDocuments({ type: 'clients' })).toBe(ROWS);
  expect(da.counts.total).toBe(ROWS);
  expect(db.counts.total).toBe(ROWS);
  expect(da.counts.imported + db.counts.imported).toBe(ROWS);
  expect(da.counts.skipped + db.counts.skipped).toBe(ROWS);
  expect(await records.countDocuments({ importId: a.id })).toBe(da.counts.imported);
  expect(await records.countDocuments({ importId: b.id })).toBe(db.counts.imported);
}, 300_000);
