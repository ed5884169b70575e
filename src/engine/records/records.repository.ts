import { deleteInBatches } from './batched-delete';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import type { RecordType } from '../../core/record-type';
import type { CustomValues, RecordFields } from '../../core/validate/row-validator';
import { ContactRecord } from './record.schema';
import { insertRefusingDuplicates } from './write-accounting';
import { bulkWriteInChunks } from './chunked-bulk-write';
import { pagesById } from './pages-by-id';

export interface NewRecord {
  key: string;
  fields: RecordFields;
  /** Custom field values; absent when the row has none. */
  custom?: CustomValues;
  phoneE164: string | null;
  sourceRow: number;
  /** The contact's company, when the import links contacts to companies. */
  companyId?: string | null;
  /** A company created only to link contacts to. */
  autoCreated?: boolean;
}

/** An existing record as a merge reads it. */
export interface ExistingRecord {
  _id: mongo.ObjectId;
  key: string;
  fields: RecordFields;
  custom: CustomValues;
  phoneE164: string | null;
  importId: string | null;
  sourceRow: number | null;
  lastImportId: string | null;
  version: number;
  undoneBy: string | null;
  companyId: string | null;
}

/** One conditional change: applied only while the record still holds `fromVersion`. */
export interface RecordWrite {
  id: mongo.ObjectId;
  fromVersion: number;
  set: Record<string, unknown>;
  unset?: string[];
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
      ...(r.custom ? { custom: r.custom } : {}),
      phoneE164: r.phoneE164,
      importId,
      sourceRow: r.sourceRow,
      lastImportId: importId,
      version: 1,
      undoneBy: null,
      companyId: r.companyId ?? null,
      autoCreated: r.autoCreated ?? false,
      createdAt: now,
      updatedAt: now,
    }));
    const refused = await insertRefusingDuplicates(this.model.collection, docs);
    return new Set(refused.map((i) => docs[i]!.key));
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

  /** The records of these keys, with the values and version a merge compares. */
  async findByKeys(
    workspaceId: string,
    type: RecordType,
    keys: readonly string[],
  ): Promise<ExistingRecord[]> {
    if (!keys.length) return [];
    const docs = await this.model.collection
      .find({ workspaceId, type, key: { $in: [...keys] } }, { projection: EXISTING })
      .toArray();
    return docs.map(asExisting);
  }

  async findByIds(workspaceId: string, ids: readonly mongo.ObjectId[]): Promise<ExistingRecord[]> {
    if (!ids.length) return [];
    const docs = await this.model.collection
      .find({ workspaceId, _id: { $in: [...ids] } }, { projection: EXISTING })
      .toArray();
    return docs.map(asExisting);
  }

  /**
   * Applies each write only while its record still holds the version it was planned from, and raises the
   * version. Which ones landed is for the caller to read back: a bulk write does not say which matched.
   */
  async writeIfUnchanged(workspaceId: string, writes: readonly RecordWrite[]): Promise<void> {
    if (!writes.length) return;
    const ops = writes.map((w) => ({
      updateOne: {
        filter: { _id: w.id, workspaceId, ...atVersion(w.fromVersion) },
        update: {
          $set: { ...w.set, version: w.fromVersion + 1 },
          ...(w.unset?.length ? { $unset: Object.fromEntries(w.unset.map((f) => [f, ''])) } : {}),
        },
      },
    }));
    await bulkWriteInChunks(this.model.collection, ops as mongo.AnyBulkWriteOperation[]);
  }

  async list(workspaceId: string, type: RecordType, page: number, limit: number) {
    const filter = { workspaceId, type };
    const [items, total] = await Promise.all([
      this.model
        .find(filter, {
          _id: 1,
          key: 1,
          fields: 1,
          custom: 1,
          phoneE164: 1,
          companyId: 1,
          importId: 1,
          createdAt: 1,
          updatedAt: 1,
        })
        .sort({ createdAt: -1, _id: -1 })
        .skip((page - 1) * limit)
        .limit(limit)
        .lean(),
      this.model.countDocuments(filter),
    ]);
    return { items, total };
  }

  /** Deletes the records of `type` the import created that nothing changed since (still at version 1). */
  async deleteCreatedBy(workspaceId: string, type: RecordType, importId: string): Promise<number> {
    return deleteInBatches(this.model, { workspaceId, type, importId, ...atVersion(1) });
  }

  /** Records the import created that changed since (another import updated them): a rollback keeps them. */
  async countCreatedBy(workspaceId: string, type: RecordType, importId: string): Promise<number> {
    return this.model.countDocuments({ workspaceId, type, importId }).exec();
  }

  /** Deletes the companies the import created to link contacts to, once no record links to them. */
  async deleteUnlinkedCompanies(workspaceId: string, importId: string): Promise<number> {
    let deleted = 0;
    const filter = { workspaceId, type: 'companies', importId, autoCreated: true, ...atVersion(1) };
    for await (const page of pagesById(this.model.collection, filter, { _id: 1 })) {
      for (const c of page) {
        const id = String(c._id);
        if (await this.model.exists({ workspaceId, companyId: id })) continue;
        deleted += (await this.model.collection.deleteOne({ _id: c._id, workspaceId })).deletedCount;
      }
    }
    return deleted;
  }

  async findOne(workspaceId: string, type: RecordType, id: string) {
    if (!mongo.ObjectId.isValid(id)) return null;
    return this.model.findOne({ _id: new mongo.ObjectId(id), workspaceId, type }).lean();
  }

  async contactsOf(workspaceId: string, companyId: string, page: number, limit: number) {
    const filter = { workspaceId, companyId };
    const [items, total] = await Promise.all([
      this.model
        .find(filter, {
          _id: 1,
          type: 1,
          key: 1,
          fields: 1,
          custom: 1,
          phoneE164: 1,
          companyId: 1,
          createdAt: 1,
        })
        .sort({ _id: 1 })
        .skip((page - 1) * limit)
        .limit(limit)
        .lean(),
      this.model.countDocuments(filter),
    ]);
    return { items, total };
  }
}

const EXISTING = {
  _id: 1,
  key: 1,
  fields: 1,
  custom: 1,
  phoneE164: 1,
  importId: 1,
  sourceRow: 1,
  lastImportId: 1,
  version: 1,
  undoneBy: 1,
  companyId: 1,
};

function asExisting(d: Record<string, unknown>): ExistingRecord {
  return {
    _id: d._id as mongo.ObjectId,
    key: d.key as string,
    fields: (d.fields ?? {}) as RecordFields,
    custom: (d.custom ?? {}) as CustomValues,
    phoneE164: (d.phoneE164 as string | null | undefined) ?? null,
    importId: (d.importId as string | null | undefined) ?? null,
    sourceRow: (d.sourceRow as number | null | undefined) ?? null,
    lastImportId: (d.lastImportId as string | null | undefined) ?? null,
    version: (d.version as number | null | undefined) ?? 1,
    undoneBy: (d.undoneBy as string | null | undefined) ?? null,
    companyId: (d.companyId as string | null | undefined) ?? null,
  };
}

/** Matches version `v`; version 1 also matches records stored before versions existed. */
function atVersion(v: number): Record<string, unknown> {
  return { version: v === 1 ? { $in: [1, null] } : v };
}
