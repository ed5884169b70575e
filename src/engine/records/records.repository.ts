import { deleteInBatches } from './batched-delete';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { duplicateIndexes } from './mongo-errors';
import type { RecordType } from '../../core/record-type';
import type { RecordFields } from '../../core/validate/row-validator';
import { ContactRecord } from './record.schema';
import { assertAllAccounted } from './write-accounting';

export interface NewRecord {
  key: string;
  fields: RecordFields;
  phoneE164: string | null;
  sourceRow: number;
}

export interface KeyOwner {
  key: string;
  importId: string | null;
  sourceRow: number | null;
}

/** Every method takes the workspace id: one workspace can never reach another's records. */
@Injectable()
export class RecordsRepository {
  constructor(@InjectModel(ContactRecord.name) private readonly model: Model<ContactRecord>) {}

  /** Inserts what is new; returns the keys that already existed (the unique index refused them). */
  async insertNew(
    workspaceId: string,
    type: RecordType,
    importId: string,
    records: readonly NewRecord[],
    now: Date,
  ): Promise<Set<string>> {
    if (!records.length) return new Set();
    const docs = records.map((r) => ({
      workspaceId,
      type,
      key: r.key,
      fields: r.fields,
      phoneE164: r.phoneE164,
      importId,
      sourceRow: r.sourceRow,
      lastImportId: importId,
      createdAt: now,
      updatedAt: now,
    }));
    let inserted: number;
    let refused: number[] = [];
    try {
      inserted = (await this.model.collection.insertMany(docs, { ordered: false })).insertedCount;
    } catch (e) {
      refused = duplicateIndexes(e).filter((i) => i >= 0 && i < docs.length);
      inserted = (e as mongo.MongoBulkWriteError).insertedCount;
    }
    assertAllAccounted('insertMany', docs.length, inserted, refused.length);
    return new Set(refused.map((i) => docs[i]!.key));
  }

  /**
   * Creates or updates by key (the row's non-empty values win). Two upserts of one new key at once:
   * one wins and the other gets E11000; the whole batch is retried (upserts are idempotent) because
   * FerretDB may stop an unordered batch at its first error instead of running the rest.
   */
  async upsert(
    workspaceId: string,
    type: RecordType,
    importId: string,
    records: readonly NewRecord[],
    now: Date,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const ops: mongo.AnyBulkWriteOperation<ContactRecord>[] = records.map((r) => ({
        updateOne: {
          filter: { workspaceId, type, key: r.key },
          update: {
            $set: {
              ...Object.fromEntries(Object.entries(r.fields).map(([k, v]) => [`fields.${k}`, v])),
              ...(r.phoneE164 ? { phoneE164: r.phoneE164 } : {}),
              lastImportId: importId,
              updatedAt: now,
            },
            $setOnInsert: { importId, sourceRow: r.sourceRow, createdAt: now },
          },
          upsert: true,
        },
      }));
      try {
        const res = await this.model.collection.bulkWrite(ops as mongo.AnyBulkWriteOperation[], {
          ordered: false,
        });
        assertAllAccounted('bulkWrite', ops.length, res.upsertedCount + res.matchedCount, 0);
        return;
      } catch (e) {
        duplicateIndexes(e); // rethrows anything but a duplicate-key refusal
        if (attempt >= 5) throw e;
      }
    }
  }

  async owners(workspaceId: string, type: RecordType, keys: readonly string[]): Promise<KeyOwner[]> {
    if (!keys.length) return [];
    return this.model.collection
      .find(
        { workspaceId, type, key: { $in: [...keys] } },
        { projection: { _id: 0, key: 1, importId: 1, sourceRow: 1 } },
      )
      .toArray() as unknown as Promise<KeyOwner[]>;
  }

  async list(workspaceId: string, type: RecordType, page: number, limit: number) {
    const filter = { workspaceId, type };
    const [items, total] = await Promise.all([
      this.model
        .find(filter, { _id: 1, key: 1, fields: 1, phoneE164: 1, importId: 1, createdAt: 1, updatedAt: 1 })
        .sort({ createdAt: -1, _id: -1 })
        .skip((page - 1) * limit)
        .limit(limit)
        .lean(),
      this.model.countDocuments(filter),
    ]);
    return { items, total };
  }

  async deleteCreatedBy(workspaceId: string, importId: string): Promise<number> {
    return deleteInBatches(this.model, { workspaceId, importId });
  }
}
