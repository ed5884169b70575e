import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ContactRecord } from '../../src/engine/records/record.schema';
import { RecordChange } from '../../src/engine/records/record-change.schema';
import { Harness, startHarness, uploadCsv } from '../support/intake-harness';
import { killAll, sleep, startWorker, waitForEnd, waitUntil, Worker } from './fault-support';

const EXISTING = 600;
const NEW = 100;

/** The records before: every third has no city, every fifth a phone, every seventh tags. */
function baseCsv(): string {
  const lines = ['First Name,Last Name,Email,City,Phone,Tags'];
  for (let i = 1; i <= EXISTING; i++) {
    const city = i % 3 === 0 ? '' : `City ${i}`;
    const phone = i % 5 === 0 ? `+34 612 ${String(100000 + i).slice(-6)}` : '';
    const tags = i % 7 === 0 ? '"a, b"' : '';
    lines.push(`Ana${i},Old ${i},c${i}@example.com,${city},${phone},${tags}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The update: even rows change the last name, every third row sets a city where there was none,
 * every fifth replaces the phone with one that does not parse, rows 4 mod 12 change nothing, and new
 * keys follow. Notes are added to every eleventh (a field the record never had).
 */
function updateCsv(): { csv: string; updated: number; unchanged: number } {
  const lines = ['First Name,Last Name,Email,City,Phone,Tags,Notes'];
  let updated = 0;
  for (let i = 1; i <= EXISTING; i++) {
    const last = i % 2 === 0 ? `New ${i}` : `Old ${i}`;
    const city = i % 3 === 0 ? `Town ${i}` : '';
    const phone = i % 5 === 0 ? 'ask reception' : '';
    const notes = i % 11 === 0 ? 'added' : '';
    if (i % 2 === 0 || i % 3 === 0 || i % 5 === 0 || i % 11 === 0) updated++;
    lines.push(`Ana${i},${last},c${i}@example.com,${city},${phone},,${notes}`);
  }
  for (let i = 1; i <= NEW; i++) lines.push(`Neo${i},New,n${i}@example.com,,,,`);
  return { csv: `${lines.join('\n')}\n`, updated, unchanged: EXISTING - updated };
}

let h: Harness;
let records: Model<ContactRecord>;
const workers: Worker[] = [];

beforeAll(async () => {
  h = await startHarness('update-crash', { INTAKE_ROLES: 'api' });
  records = h.app.context.get(getModelToken(ContactRecord.name));
});
afterAll(async () => {
  killAll(workers);
  await h.close();
});

async function snapshot() {
  const docs = await records.find({}).sort({ key: 1 }).lean();
  return docs.map((d) => ({ key: d.key, fields: d.fields, phoneE164: d.phoneE164 }));
}

test('an update import killed mid-batch resumes with exact counts, and its rollback restores every record exactly', async () => {
  // Fourteen batches, so each kill lands mid-batch with batches left to resume. The lock outlasts a
  // busy machine's pauses: a live worker that loses it counts as a stall, and two kills already use
  // two of the three the queue forgives before failing the import.
  const worker = () => {
    const w = startWorker(h.env, { INTAKE_BATCH_SIZE: '50', INTAKE_JOB_LOCK_MS: '6000' });
    workers.push(w);
    return w;
  };
  let current = worker();
  const base = await uploadCsv(h, baseCsv(), 'clients');
  await h.imports.start(h.workspaceId, base.id);
  expect((await waitForEnd(h, base.id)).counts.imported).toBe(EXISTING);
  const before = await snapshot();

  const { csv, updated, unchanged } = updateCsv();
  const view = await uploadCsv(h, csv, 'clients');
  await h.imports.start(h.workspaceId, view.id, { onDuplicate: 'update' });
  // Killed twice, past 30% and past 60%, each a little after a checkpoint so it lands mid-batch.
  for (const share of [0.3, 0.6]) {
    await waitUntil(h, view.id, (v) => v.committedRow > (EXISTING + NEW) * share, 120_000);
    await sleep(60);
    current.child.kill('SIGKILL');
    current = worker();
  }
  const done = await waitForEnd(h, view.id);
  expect({ status: done.status, error: done.error }).toEqual({ status: 'completed', error: null });
  expect(done.counts).toEqual({
    total: EXISTING + NEW,
    imported: NEW,
    updated,
    unchanged,
    skipped: 0,
    flagged: EXISTING / 5,
  });
  const changes = h.app.context.get<Model<RecordChange>>(getModelToken(RecordChange.name));
  expect(await changes.countDocuments({ importId: view.id })).toBe(updated);
  const sample = await records.findOne({ key: 'c10@example.com' }).lean();
  expect(sample?.fields).toMatchObject({ lastName: 'New 10', phone: 'ask reception' });
  expect(sample?.phoneE164).toBeNull();

  const rolled = await h.imports.rollback(h.workspaceId, view.id);
  expect(rolled.rollback).toMatchObject({ deleted: NEW, restored: updated, kept: 0 });
  expect(await snapshot()).toEqual(before);
}, 300_000);
