import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ContactRecord } from '../../src/engine/records/record.schema';
import { Harness, reportText, startHarness, uploadCsv } from '../support/intake-harness';
import {
  csvOf,
  expectedOutcome,
  FAST_RECOVERY,
  killAll,
  startWorker,
  waitForEnd,
  Worker,
} from './fault-support';

/**
 * Files that turn malformed halfway, through a real worker process: the rows before the damage are
 * imported, the import ends with the reason and the row, and the worker lives on to run the next one.
 */
const ROWS = 8000;

let h: Harness;
let worker: Worker;

beforeAll(async () => {
  h = await startHarness('malformed_tail', { INTAKE_ROLES: 'api', ...FAST_RECOVERY });
  worker = startWorker(h.env);
});
afterAll(async () => {
  killAll([worker]);
  await h.close();
});

/** The generated file, and the row number the first line after it gets. */
function head(seed: number) {
  const e = expectedOutcome(ROWS, seed);
  const lastLines = csvOf(ROWS, seed).toString('utf8').trimEnd().split('\n').length;
  return { e, csv: csvOf(ROWS, seed), nextRow: lastLines + 1 };
}

const recordsOf = (importId: string) =>
  h.app.context
    .get<Model<ContactRecord>>(getModelToken(ContactRecord.name))
    .countDocuments({ importId, type: 'clients' });

test('a binary tail: rows before it imported, the import fails naming the row', async () => {
  const { e, csv, nextRow } = head(301);
  const tail = Buffer.alloc(64 * 1024);
  for (let i = 0; i < tail.length; i++) tail[i] = (i * 7919) % 256;
  const view = await uploadCsv(h, Buffer.concat([csv, tail]), 'clients');
  await h.imports.start(h.workspaceId, view.id);
  const done = await waitForEnd(h, view.id);
  expect(done.status).toBe('failed');
  expect(done.error?.code).toBe('binary_data');
  expect(done.error?.row).toBe(nextRow);
  expect(done.error?.message).toMatch(/binary/i);
  expect(done.counts.total).toBe(ROWS);
  expect(done.counts.imported).toBe(e.firstRow.size);
  expect(await recordsOf(view.id)).toBe(e.firstRow.size);
  expect(worker.alive()).toBe(true);
});

test('an unclosed quote halfway: rows before it imported, that row skipped with the reason', async () => {
  const { e, csv, nextRow } = head(302);
  const broken = Buffer.from('Ana,"Unclosed,ana.unclosed@example.com,+1 202 555 0100,Acme,Madrid,note,vip\n');
  // No quote follows, so the open one swallows the rest of the file: those lines cannot be rows.
  const rest = Array.from(
    { length: 500 },
    (_, i) => `Tail${i},Row,tail${i}@example.com,,Acme,Lyon,plain,vip\n`,
  );
  const view = await uploadCsv(h, Buffer.concat([csv, broken, Buffer.from(rest.join(''))]), 'clients');
  await h.imports.start(h.workspaceId, view.id);
  const done = await waitForEnd(h, view.id);
  expect(done.status).toBe('completed');
  expect(done.counts.total).toBe(ROWS + 1);
  expect(done.counts.imported).toBe(e.firstRow.size);
  expect(await recordsOf(view.id)).toBe(e.firstRow.size);
  const report = await reportText(h, view.id);
  const line = report.split('\n').find((l) => l.startsWith(`${nextRow},`));
  expect(line).toMatch(/quote/i);
  expect(worker.alive()).toBe(true);
});

test('the same worker then imports a sound file', async () => {
  const { e, csv } = head(304);
  const view = await uploadCsv(h, csv, 'clients');
  await h.imports.start(h.workspaceId, view.id);
  const done = await waitForEnd(h, view.id);
  expect(done.status).toBe('completed');
  expect(done.counts.imported).toBe(e.firstRow.size);
  expect(worker.alive()).toBe(true);
});
