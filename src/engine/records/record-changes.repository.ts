import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import type { MergePlan } from '../../core/merge/merge-plan';
import type { RecordType } from '../../core/record-type';
import { ChangeOutcome, RecordChange } from './record-change.schema';

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
   * Keeps what each change replaces, before the record is written. Keyed on import and record, so a
   * batch retried after a crash writes the same document again instead of a second one.
   */
  async keep(workspaceId: string, type: RecordType, importId: string, changes: readonly PlannedChange[]) {
    if (!changes.length) return;
    const ops = changes.map((c) => ({
      updateOne: {
        filter: { importId, recordId: c.recordId },
        update: {
          $set: {
            workspaceId,
            type,
            key: c.key,
            fromVersion: c.fromVersion,
            toVersion: c.fromVersion + 1,
            before: c.plan.before,
            absent: c.plan.absent,
            phone: c.plan.phone ? { from: c.plan.phone.from } : null,
            lastImportBefore: c.lastImportBefore,
            outcome: null,
          },
        },
        upsert: true,
      },
    }));
    await this.model.collection.bulkWrite(ops as mongo.AnyBulkWriteOperation[], { ordered: false });
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
    await this.model.collection.bulkWrite(ops as mongo.AnyBulkWriteOperation[], { ordered: false });
  }

  async countOutcomes(workspaceId: string, importId: string): Promise<Record<ChangeOutcome, number>> {
    const [restored, kept] = await Promise.all([
      this.model.countDocuments({ workspaceId, importId, outcome: 'restored' }).exec(),
      this.model.countDocuments({ workspaceId, importId, outcome: 'kept' }).exec(),
    ]);
    return { restored, kept };
  }
}
