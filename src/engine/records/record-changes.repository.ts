import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import type { MergePlan } from '../../core/merge/merge-plan';
import type { RecordType } from '../../core/record-type';
import { ChangeOutcome, RecordChange } from './record-change.schema';
import { bulkWriteInChunks } from './chunked-bulk-write';
import { insertRefusingDuplicates } from './write-accounting';

/** A change about to be made to an existing record by an import. */
export interface PlannedChange {
  recordId: mongo.ObjectId;
  key: string;
  fromVersion: number;
  lastImportBefore: string | null;
  plan: MergePlan;
}

export type StoredChange = RecordChange & { _id: mongo.ObjectId };

/** Previous values of the records an import changed; every method takes the workspace id. */
@Injectable()
export class RecordChangesRepository {
  constructor(@InjectModel(RecordChange.name) private readonly model: Model<RecordChange>) {}

  /**
   * Keeps what each change replaces, before the record is written. One document per import and record
   * (the unique index): inserted in one command; the few an earlier attempt at this batch already
   * wrote (a crash between this and the record's write) are overwritten with this plan instead.
   */
  async keep(workspaceId: string, type: RecordType, importId: string, changes: readonly PlannedChange[]) {
    if (!changes.length) return;
    const docs = changes.map((c) => ({
      importId,
      recordId: c.recordId,
      workspaceId,
      type,
      key: c.key,
      fromVersion: c.fromVersion,
      toVersion: c.fromVersion + 1,
      before: c.plan.before,
      absent: c.plan.absent,
      custom: c.plan.custom ? { before: c.plan.custom.before, absent: c.plan.custom.absent } : null,
      phone: c.plan.phone ? { from: c.plan.phone.from } : null,
      company: c.plan.company ? { from: c.plan.company.from } : null,
      lastImportBefore: c.lastImportBefore,
      outcome: null,
    }));
    // The driver gives each document it inserts an `_id` in place: the copies keep `docs` without one,
    // so a replacement never tries to change a stored change's `_id` (which the server refuses).
    const refused = await insertRefusingDuplicates(
      this.model.collection,
      docs.map((d) => ({ ...d })),
    );
    const again = refused.map((i) => docs[i]!);
    await bulkWriteInChunks(
      this.model.collection,
      again.map((d) => ({
        replaceOne: { filter: { importId, recordId: d.recordId }, replacement: d },
      })) as mongo.AnyBulkWriteOperation[],
    );
  }

  /** This import's changes of these records. */
  async ofRecords(
    workspaceId: string,
    importId: string,
    recordIds: readonly mongo.ObjectId[],
  ): Promise<StoredChange[]> {
    if (!recordIds.length) return [];
    return this.model.collection
      .find({ workspaceId, importId, recordId: { $in: [...recordIds] } })
      .toArray() as unknown as Promise<StoredChange[]>;
  }

  /** The next changes a rollback has not dealt with yet. */
  async pending(workspaceId: string, importId: string, limit: number): Promise<StoredChange[]> {
    return this.model.collection
      .find({ workspaceId, importId, outcome: null })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray() as unknown as Promise<StoredChange[]>;
  }

  async settle(workspaceId: string, outcomes: readonly { id: mongo.ObjectId; outcome: ChangeOutcome }[]) {
    if (!outcomes.length) return;
    const ops = outcomes.map((o) => ({
      updateOne: { filter: { _id: o.id, workspaceId }, update: { $set: { outcome: o.outcome } } },
    }));
    await bulkWriteInChunks(this.model.collection, ops as mongo.AnyBulkWriteOperation[]);
  }

  async countOutcomes(workspaceId: string, importId: string): Promise<Record<ChangeOutcome, number>> {
    const [restored, kept] = await Promise.all([
      this.model.countDocuments({ workspaceId, importId, outcome: 'restored' }).exec(),
      this.model.countDocuments({ workspaceId, importId, outcome: 'kept' }).exec(),
    ]);
    return { restored, kept };
  }
}
