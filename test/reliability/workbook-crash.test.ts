import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Readable } from 'node:stream';
import { ContactRecord } from '../../src/engine/records/record.schema';
import { ImportRowIssue } from '../../src/engine/imports/import.schema';
import { Harness, startHarness, waitForEnd } from '../support/intake-harness';
import { workbookBytes } from '../support/workbooks';
import { killAll, startWorker, Worker } from './fault-support';

const ROWS = 20_000;

/** A title row, the header on sheet row 3, then rows with every 20th email bad: counts are known exactly. */
async function clientsBook(): Promise<{ bytes: Buffer; imported: number; skipped: number }> {
  let imported = 0;
  let skipped = 0;
  const bytes = await workbookBytes((book) => {
    const sheet = book.addWorksheet('Clients');
    sheet.addRow(['Client list']);
    sheet.addRow([]);
    sheet.addRow(['First Name', 'Last Name', 'Email', 'Phone']);
    for (let i = 1; i <= ROWS; i++) {
      const bad = i % 20 === 0;
      sheet.addRow([`Ana${i}`, 'García', bad ? `not-an-email-${i}` : `ana${i}@example.com`, 4155550000 + i]);
      if (bad) skipped++;
      else imported++;
    }
  });
  return { bytes, imported, skipped };
}

let h: Harness;
const workers: Worker[] = [];

beforeAll(async () => {
  h = await startHarness('xlsx-crash', {
    INTAKE_ROLES: 'api',
    INTAKE_JOB_LOCK_MS: '2000',
    INTAKE_STALLED_INTERVAL_MS: '1000',
  });
});
afterAll(async () => {
  killAll(workers);
  await h.close();
});

test('a worker killed mid-workbook is resumed by another with exact counts, sheet rows and no duplicate', async () => {
  const { bytes, imported, skipped } = await clientsBook();
  const view = await h.imports.upload(h.workspaceId, Readable.from([bytes]), {
    fileName: 'clients.xlsx',
    type: 'clients',
    channel: 'api',
  });
  const first = startWorker(h.env, { INTAKE_BATCH_SIZE: '500' });
  workers.push(first);
  await h.imports.start(h.workspaceId, view.id);

  for (let t = 0; ; t++) {
    const v = await h.imports.get(h.workspaceId, view.id);
    if (v.committedRow > ROWS / 4) break;
    if (t > 600) throw new Error(`no progress: ${v.status} at row ${v.committedRow}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  first.child.kill('SIGKILL');
  const interrupted = await h.imports.get(h.workspaceId, view.id);
  expect(interrupted.status).toBe('running');
  expect(interrupted.committedRow).toBeLessThan(ROWS + 3);

  workers.push(startWorker(h.env, { INTAKE_BATCH_SIZE: '500' }));
  const done = await waitForEnd(h, view.id, 120_000);

  expect(done.status).toBe('completed');
  expect(done.counts).toEqual({ total: ROWS, imported, updated: 0, unchanged: 0, skipped, flagged: 0 });
  const records = h.app.context.get<Model<ContactRecord>>(getModelToken(ContactRecord.name));
  const issues = h.app.context.get<Model<ImportRowIssue>>(getModelToken(ImportRowIssue.name));
  expect(await records.countDocuments({ importId: view.id })).toBe(imported);
  expect(await issues.countDocuments({ importId: view.id, outcome: 'skipped' })).toBe(skipped);
  // Data starts on sheet row 4: the i-th data row is sheet row i + 3.
  const last = await records.findOne({ key: `ana${ROWS - 1}@example.com` }).lean();
  expect(last).toMatchObject({ sourceRow: ROWS - 1 + 3, phoneE164: `+1${4155550000 + ROWS - 1}` });
}, 300_000);
