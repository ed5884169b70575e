import { getConnectionToken } from '@nestjs/mongoose';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Connection, mongo } from 'mongoose';
import { IntakeError } from '../../src/core/intake-error';
import { ImportsRepository } from '../../src/engine/imports/imports.repository';
import { Harness, startHarness, uploadCsv, waitForEnd } from '../support/intake-harness';
import { eventually } from '../support/eventually';

/**
 * An upload is answered as soon as it has arrived (received on local disk), and stored in the
 * database behind the answer. These tests hold what that promises: the answer says the file is not
 * stored yet, a start made meanwhile runs once it is (exact counts), nothing is left on local disk,
 * and what a process that died left there is removed by the next one.
 */
const MAX_BYTES = 40 * 1024 * 1024;
const ROWS = 1500;
const BLOB = 'x'.repeat(20_000);

let h: Harness;
let spool: string;
let db: mongo.Db;

beforeAll(async () => {
  spool = await mkdtemp(join(tmpdir(), 'intake-spool-test-'));
  // Left by processes that died: one long ago, one just now (perhaps still being stored by its process).
  await writeFile(join(spool, 'left-long-ago.upload'), 'First Name\nAna\n');
  const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60_000);
  await utimes(join(spool, 'left-long-ago.upload'), twoHoursAgo, twoHoursAgo);
  await writeFile(join(spool, 'recent.upload'), 'First Name\nBea\n');
  await writeFile(join(spool, 'not-ours.txt'), 'kept');
  h = await startHarness('storing', { INTAKE_SPOOL_DIR: spool, INTAKE_MAX_FILE_BYTES: String(MAX_BYTES) });
  db = h.app.context.get<Connection>(getConnectionToken()).db as unknown as mongo.Db;
});
afterAll(async () => {
  await h.close();
  await rm(spool, { recursive: true, force: true });
});

const received = async () => (await readdir(spool)).filter((n) => n.endsWith('.upload'));
const storedFiles = () => db.collection('uploads.files').countDocuments({});

function bigCsv(): Buffer {
  const lines = ['First Name,Email,Blob'];
  for (let i = 1; i <= ROWS; i++) lines.push(`Ana${i},ana${i}@storing.example.com,${BLOB}`);
  return Buffer.from(`${lines.join('\n')}\n`);
}

test('received files a dead process left long ago are removed at start; recent ones and other files stay', async () => {
  const names = await readdir(spool);
  expect(names).not.toContain('left-long-ago.upload');
  expect(names).toEqual(expect.arrayContaining(['recent.upload', 'not-ours.txt']));
  await rm(join(spool, 'recent.upload'));
  await rm(join(spool, 'not-ours.txt'));
});

test('the answer does not wait for the file to be stored; a start meanwhile runs once it is, with exact counts', async () => {
  const csv = bigCsv();
  const view = await uploadCsv(h, csv, 'clients');
  expect(view.status).toBe('awaiting_mapping');
  expect(view.fileStored).toBe(false);
  expect(view.columns.map((c) => c.field)).toEqual(['firstName', 'email', null]);

  const started = await h.imports.start(h.workspaceId, view.id);
  expect(started.import.status).toBe('queued');
  const meanwhile = await h.imports.get(h.workspaceId, view.id);
  // Unless storing already ended, the queued import says what it waits for.
  if (!meanwhile.fileStored) {
    expect(meanwhile.status).toBe('queued');
    expect(meanwhile.waiting).toBe('waiting: its file is still being stored');
  }

  const end = await waitForEnd(h, view.id, 180_000);
  expect(end.status).toBe('completed');
  expect(end.fileStored).toBe(true);
  expect(end.counts).toMatchObject({ total: ROWS, imported: ROWS, skipped: 0 });
  const imp = await h.app.context.get(ImportsRepository).get(h.workspaceId, view.id);
  const file = await db.collection('uploads.files').findOne({ _id: new mongo.ObjectId(imp.fileId) });
  expect(file?.length).toBe(csv.length);
  expect(await received()).toEqual([]);
});

test('a file the person starts before it is stored and then cancels never runs, and its file is deleted once stored', async () => {
  const csv = bigCsv();
  const view = await uploadCsv(h, csv, 'clients');
  await h.imports.start(h.workspaceId, view.id);
  const cancelled = await h.imports.cancel(h.workspaceId, view.id);
  expect(cancelled.status).toBe('cancelled');
  await eventually(async () => (await h.imports.get(h.workspaceId, view.id)).fileStored, 120_000);
  const done = await h.imports.get(h.workspaceId, view.id);
  expect(done.status).toBe('cancelled');
  expect(done.counts.total).toBe(0);
  const imp = await h.app.context.get(ImportsRepository).get(h.workspaceId, view.id);
  // Cancelled before it ran, it has nothing to roll back: its file goes as soon as it is stored.
  const id = new mongo.ObjectId(imp.fileId);
  const left = async () =>
    (await db.collection('uploads.files').countDocuments({ _id: id })) +
    (await db.collection('uploads.chunks').countDocuments({ files_id: id }));
  await eventually(async () => (await left()) === 0);
  expect(imp.fileDeletedAt).not.toBeNull();
  expect(await received()).toEqual([]);
});

test('a refused upload leaves nothing on local disk nor in the database', async () => {
  const before = await storedFiles();
  // Past the size limit, arriving piece by piece: refused on the way.
  async function* tooBig() {
    yield Buffer.from('First Name,Email\n');
    const line = Buffer.from(`Ana,ana@storing.example.com${' '.repeat(1000)}\n`);
    for (let sent = 0; sent <= MAX_BYTES; sent += line.length * 100)
      yield Buffer.concat(Array(100).fill(line));
  }
  const oversized = h.imports.upload(h.workspaceId, Readable.from(tooBig()), {
    fileName: 'big.csv',
    channel: 'api',
  });
  await expect(oversized).rejects.toMatchObject({ code: 'file_too_large' });
  // Not a table: refused after it arrived, before any import is kept.
  const binary = Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x00, 0x07, 0x10, 0x00]);
  const refused = await uploadCsv(h, binary, 'clients').catch((e: IntakeError) => e);
  expect(refused).toBeInstanceOf(IntakeError);
  expect(await received()).toEqual([]);
  expect(await storedFiles()).toBe(before);
});
