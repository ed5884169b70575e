import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { duplicateIndexes } from '../records/mongo-errors';
import type { MappingTarget } from '../../core/custom-field';
import { normalizeHeader } from '../../core/mapping/header-normalize';
import { RECORD_TYPES, RecordType } from '../../core/record-type';
import { MappingMemory } from './workspace.schema';

/** Learned choices dropped per delete, so one trim never holds a huge list of ids. */
const DROP_BATCH = 500;

@Injectable()
export class MappingMemoryRepository {
  constructor(@InjectModel(MappingMemory.name) private readonly model: Model<MappingMemory>) {}

  /** What the workspace learned about these headers only: one file's worth, however much it learned. */
  async learned(
    workspaceId: string,
    type: RecordType,
    headers: readonly string[],
  ): Promise<Map<string, MappingTarget | null>> {
    const keys = [...new Set(headers.map(normalizeHeader).filter((k) => k !== ''))];
    if (!keys.length) return new Map();
    const rows = await this.model.find({ workspaceId, type, header: { $in: keys } }).lean();
    return new Map(rows.map((r) => [r.header, r.field as MappingTarget | null]));
  }

  async remember(
    workspaceId: string,
    type: RecordType,
    choices: readonly { header: string; field: MappingTarget | null }[],
    now: Date,
  ): Promise<void> {
    const ops = choices
      .filter((c) => normalizeHeader(c.header) !== '')
      .map((c) => ({
        updateOne: {
          filter: { workspaceId, type, header: normalizeHeader(c.header) },
          update: { $set: { field: c.field, updatedAt: now } },
          upsert: true,
        },
      }));
    if (!ops.length) return;
    try {
      await this.model.bulkWrite(ops, { ordered: false });
    } catch (e) {
      // Two people confirming the same header at once: the other upsert won, and that is fine.
      duplicateIndexes(e); // a row or choice already written: fine; anything else is rethrown
    }
  }

  /** Every (workspace, type) that learned anything: the sweep trims each. */
  async learners(): Promise<{ workspaceId: string; type: RecordType }[]> {
    const workspaces = (await this.model.distinct('workspaceId')) as string[];
    return workspaces.flatMap((workspaceId) => RECORD_TYPES.map((type) => ({ workspaceId, type })));
  }

  /**
   * Keeps the `keep` most recently confirmed headers of a workspace and type and drops the rest, in
   * batches; returns how many it dropped. Idempotent: two sweeps at once drop each header once.
   */
  async trim(workspaceId: string, type: RecordType, keep: number): Promise<number> {
    let dropped = 0;
    for (;;) {
      const excess = await this.model
        .find({ workspaceId, type })
        .sort({ updatedAt: -1, _id: -1 })
        .skip(keep)
        .limit(DROP_BATCH)
        .select({ _id: 1 })
        .lean();
      if (!excess.length) return dropped;
      const res = await this.model.deleteMany({ workspaceId, type, _id: { $in: excess.map((r) => r._id) } });
      dropped += res.deletedCount;
      if (excess.length < DROP_BATCH) return dropped;
    }
  }
}
