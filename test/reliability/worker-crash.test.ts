import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ContactRecord } from '../../src/engine/records/record.schema';
import { ImportRowIssue } from '../../src/engine/imports/import.schema';
import { Harness, startHarness, uploadCsv, waitForEnd } from '../support/intake-harness';
import { killAll, startWorker, Worker } from './fault-support';

const ROWS = 30_000;

/** Every 20th row has a bad email, every 25th repeats the row before it: counts are known exactly. */
function clientsCsv(): { csv: string; imported: number; skipped: number } {
  const lines = ['First Name,Last Name,Email,Notes'];
  let imported = 0;
  let skipped = 0;
  for (let i = 1; i <= ROWS; i++) {
    if (i % 20 === 0) {
      lines.push(`Bad${i},Row,not-an-email-${i},x`);
      skipped++;
    } else if (i % 25 === 0) {
      lines.push(`Ana${i - 1},Again,ana${i - 1}@example.com,dup`);
      skipped++;
    } else {
      lines.push(`Ana${i},"García, ${i}",ana${i}@example.com,"note with ""quotes"" and, commas"`);
      imported++;
    }
  }
  return { csv: `${lines.join('\n')}\n`, imported, skipped };
}

let h: Harness;
const workers: Worker[] = [];

beforeAll(async () => {
  h = await startHarness('crash', {
    INTAKE_ROLES: 'api',
    INTAKE_JOB_LOCK_MS: '2000',
    INTAKE_STALLED_INTERVAL_MS: '1000',
  });
});
afterAll(async () => {
  killAll(workers);
  await h.close();
});

test('a worker killed mid-import is resumed by another with exact counts and no duplicate', async () => {
  const { csv, imported, skipped } = clientsCsv();
  const view = await uploadCsv(h, csv, 'clients');
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
  expect(interrupted.committedRow).toBeLessThan(ROWS + 1);

  workers.push(startWorker(h.env, { INTAKE_BATCH_SIZE: '500' }));
  const done = await waitForEnd(h, view.id, 120_000);

  expect(done.status).toBe('completed');
  expect(done.counts).toEqual({ total: ROWS, imported, updated: 0, unchanged: 0, skipped, flagged: 0 });
  const records = h.app.context.get<Model<ContactRecord>>(getModelToken(ContactRecord.name));
  const issues = h.app.context.get<Model<ImportRowIssue>>(getModelToken(ImportRowIssue.name));
  expect(await records.countDocuments({ importId: view.id })).toBe(imported);
  expect(await issues.countDocuments({ importId: view.id, outcome: 'skipped' })).toBe(skipped);
  const last = await records.findOne({ key: `ana${ROWS - 1}@example.com` }).lean();
  expect(last?.sourceRow).toBe(ROWS);
}, 300_000);
