import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Parser } from 'csv-parse';
import { Connection } from 'mongoose';
import { KeyTable } from '../../src/core/dedupe/key-table';
import { csvOptions, readRows } from '../../src/core/parse/row-source';
import { sniffLayout } from '../../src/core/parse/file-sniffer';
import { compileMapping, validateRow } from '../../src/core/validate/row-validator';
import { suggestMapping } from '../../src/core/mapping/mapping-suggester';
import { ContactRecord, ContactRecordSchema } from '../../src/engine/records/record.schema';
import { readFile } from 'node:fs/promises';

/** The baselines Intake is compared with, each timed in seconds on the same file or database. */

const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e9;

/** (a) Reading the file and dropping the bytes. */
export async function timeRawRead(path: string): Promise<number> {
  const t = process.hrtime.bigint();
  await finished(createReadStream(path).pipe(new Writable({ write: (_c, _e, done) => done() })));
  return since(t);
}

/** (b) csv-parse alone, with the options Intake gives it, counting records. */
export async function timeCsvParse(path: string): Promise<{ seconds: number; records: number }> {
  const t = process.hrtime.bigint();
  let records = 0;
  for await (const _ of createReadStream(path).pipe(new Parser(csvOptions(',')))) records++;
  return { seconds: since(t), records: records - 1 };
}

function recordDoc(i: number, importId: string) {
  const email = `raw.${i}@example.com`;
  return {
    workspaceId: 'default',
    type: 'clients',
    key: email,
    fields: {
      firstName: 'María José',
      lastName: 'García',
      email,
      phone: '+34 912 345 678',
      company: 'Acme S.A.',
      city: 'São Paulo',
      notes: 'Met at "Expo 4", asked for a demo, budget ~40k €',
      tags: ['vip', `t${i % 7}`],
    },
    phoneE164: '+34912345678',
    importId,
    sourceRow: i + 2,
    lastImportId: importId,
    createdAt: new Date(),
    updatedAt: new Date(),
  };
}

/**
 * (d) The driver's own insertMany (unordered, batches of `batch`) of `count` record-shaped documents
 * into a collection of the same database with the records' indexes.
 */
export async function timeRawInsert(conn: Connection, count: number, batch = 1000): Promise<number> {
  const c = conn.collection('bench_raw_records');
  await c.createIndex({ workspaceId: 1, type: 1, key: 1 }, { unique: true });
  await c.createIndex({ importId: 1 });
  await c.createIndex({ workspaceId: 1, type: 1, createdAt: -1 });
  const t = process.hrtime.bigint();
  for (let i = 0; i < count; i += batch) {
    const docs = Array.from({ length: Math.min(batch, count - i) }, (_, j) => recordDoc(i + j, 'raw'));
    await c.insertMany(docs, { ordered: false });
  }
  const seconds = since(t);
  await c.drop().catch(() => undefined);
  return seconds;
}

/**
 * The naive import: the same parse and validation, then one `Model.create` per valid row (the
 * database's unique index still refuses duplicates, one round trip each).
 */
export async function timeNaive(conn: Connection, path: string, rows: number): Promise<number> {
  const model = conn.model('BenchNaiveRecord', ContactRecordSchema.clone(), 'bench_naive_records');
  await model.init();
  const head = (await readFile(path)).subarray(0, 256 * 1024);
  const layout = sniffLayout(head, { utf8Valid: true, truncated: true });
  const suggestion = suggestMapping('clients', layout.headers, layout.samples);
  const mapping = compileMapping('clients', layout.headers.length, suggestion);
  const table = new KeyTable();
  const t = process.hrtime.bigint();
  let n = 0;
  for await (const item of readRows(createReadStream(path), layout)) {
    if (item.kind === 'error' || ++n > rows) break;
    const v = validateRow(item.cells, mapping, 'US');
    if (!v.ok || table.firstRowOf(v.key, item.row) !== undefined) continue;
    const now = new Date();
    await model
      .create({
        workspaceId: 'default',
        type: 'clients',
        key: v.key,
        fields: v.fields,
        phoneE164: v.phoneE164 ?? null,
        importId: 'naive',
        sourceRow: item.row,
        lastImportId: 'naive',
        version: 1,
        undoneBy: null,
        companyId: null,
        autoCreated: false,
        createdAt: now,
        updatedAt: now,
      } satisfies ContactRecord)
      .catch(() => undefined);
  }
  const seconds = since(t);
  await model.collection.drop().catch(() => undefined);
  return seconds;
}
