import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { duplicateIndexes } from '../records/mongo-errors';
import type { FieldKey } from '../../core/field-catalog';
import { normalizeHeader } from '../../core/mapping/header-normalize';
import type { RecordType } from '../../core/record-type';
import { MappingMemory } from './workspace.schema';

@Injectable()
export class MappingMemoryRepository {
  constructor(@InjectModel(MappingMemory.name) private readonly model: Model<MappingMemory>) {}

  async learned(workspaceId: string, type: RecordType): Promise<Map<string, FieldKey | null>> {
    const rows = await this.model.find({ workspaceId, type }).lean();
    return new Map(rows.map((r) => [r.header, r.field as FieldKey | null]));
  }

  async remember(
    workspaceId: string,
    type: RecordType,
    choices: readonly { header: string; field: FieldKey | null }[],
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
}
