import { createReadStream, existsSync, renameSync } from 'node:fs';
import { Connection, mongo } from 'mongoose';
import { KeyTable } from '../../src/core/dedupe/key-table';
import { readRows } from '../../src/core/parse/row-source';
import { validateRow, ValidRow } from '../../src/core/validate/row-validator';
import { STATEMENTS_PER_COMMAND } from '../../src/engine/records/chunked-bulk-write';
import { RowVariant, writeClientsCsv } from './client-csv-generator';
import { clientFileMapping } from './client-file-layout';

/**
 * The second imports of the update-mode benchmark, and their baseline: the driver's own bulkWrite of the
 * same upserts into a collection that holds the same records.
 */

/** `changed`: every key exists, half the rows carry other values; `mixed`: half the keys are new. */
export type UpdateFileKind = 'changed' | 'mixed';

const VARIANTS: Record<UpdateFileKind, RowVariant> = {
  changed: { mark: 'u', changed: (i) => i % 2 === 0, fresh: () => false },
  // Applied after `changed`: its existing rows differ from what that import left.
  mixed: { mark: 'm', changed: (i) => i % 2 === 0, fresh: (i) => i % 2 === 1 },
};

/** The variant of the seeded file `rows`/`seed`, written once beside it and kept. */
export async function updateFile(dir: string, rows: number, seed: number, kind: UpdateFileKind) {
  const path = `${dir}/clients-v2-${rows}-s${seed}-${kind}.csv`;
  if (!existsSync(path)) {
    await writeClientsCsv(`${path}.part`, rows, seed, VARIANTS[kind]);
    renameSync(`${path}.part`, path);
  }
  return path;
}

/** The file's valid rows, first of each key, 1,000 at a time, validated as Intake would. */
async function* validRows(path: string): AsyncGenerator<ValidRow[]> {
  const { layout, mapping } = await clientFileMapping(path);
  const table = new KeyTable();
  let batch: ValidRow[] = [];
  for await (const item of readRows(createReadStream(path), layout)) {
    if (item.kind === 'error') break;
    const v = validateRow(item.cells, mapping, 'US');
    if (!v.ok || table.firstRowOf(v.key, item.row) !== undefined) continue;
    batch.push(v);
    if (batch.length < 1000) continue;
    yield batch;
    batch = [];
  }
  if (batch.length) yield batch;
}

const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e9;

function upsert(v: ValidRow, importId: string, now: Date): mongo.AnyBulkWriteOperation {
  const set: Record<string, unknown> = { lastImportId: importId, updatedAt: now };
  for (const [k, value] of Object.entries(v.fields)) set[`fields.${k}`] = value;
  if (v.phoneE164) set.phoneE164 = v.phoneE164;
  return {
    updateOne: {
      filter: { workspaceId: 'default', type: 'clients', key: v.key },
      update: { $set: set, $setOnInsert: { importId, createdAt: now }, $inc: { version: 1 } },
      upsert: true,
    },
  };
}

/**
 * The raw baseline of an update-mode import: a collection with the records' indexes is filled (untimed)
 * with `original`'s valid rows, then `variant`'s valid rows are upserted by key with per-field `$set`s,
 * as bulkWrites of STATEMENTS_PER_COMMAND statements (more wedge FerretDB, as they would Intake), one
 * after the other. Returns the seconds spent in those bulkWrites and how many upserts they made.
 */
export async function timeRawUpserts(
  conn: Connection,
  original: string,
  variant: string,
): Promise<{ seconds: number; upserts: number }> {
  const c = conn.collection('bench_raw_upserts');
  await c.drop().catch(() => undefined);
  await c.createIndex({ workspaceId: 1, type: 1, key: 1 }, { unique: true });
  await c.createIndex({ importId: 1 });
  const now = new Date();
  for await (const batch of validRows(original)) {
    const docs = batch.map((v) => ({
      workspaceId: 'default',
      type: 'clients',
      key: v.key,
      fields: v.fields,
      phoneE164: v.phoneE164 ?? null,
      importId: 'first',
      lastImportId: 'first',
      version: 1,
      createdAt: now,
      updatedAt: now,
    }));
    await c.insertMany(docs, { ordered: false });
  }
  let seconds = 0;
  let upserts = 0;
  for await (const batch of validRows(variant)) {
    const ops = batch.map((v) => upsert(v, 'second', now));
    const t = process.hrtime.bigint();
    for (let i = 0; i < ops.length; i += STATEMENTS_PER_COMMAND) {
      await c.bulkWrite(ops.slice(i, i + STATEMENTS_PER_COMMAND), { ordered: true });
    }
    seconds += since(t);
    upserts += ops.length;
  }
  await c.drop().catch(() => undefined);
  return { seconds, upserts };
}
