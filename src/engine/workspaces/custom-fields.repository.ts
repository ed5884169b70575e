import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { MAX_CUSTOM_PER_TYPE } from '../../core/custom-field';
import { IntakeError } from '../../core/intake-error';
import type { RecordType } from '../../core/record-type';
import { duplicateIndexes } from '../records/mongo-errors';
import { CustomField } from './workspace.schema';

export interface CustomFieldView {
  key: string;
  label: string;
}

/** Longest label kept: a header can be anything. */
const LABEL_CHARS = 100;

/** The custom fields a workspace keeps per type; every method takes the workspace id. */
@Injectable()
export class CustomFieldsRepository {
  constructor(@InjectModel(CustomField.name) private readonly model: Model<CustomField>) {}

  async list(workspaceId: string, type: RecordType): Promise<CustomFieldView[]> {
    const rows = await this.model
      .find({ workspaceId, type }, { _id: 0, key: 1, label: 1 })
      .sort({ createdAt: 1, key: 1 })
      .limit(MAX_CUSTOM_PER_TYPE)
      .lean();
    return rows.map((r) => ({ key: r.key, label: r.label }));
  }

  /**
   * Adds the keys the type does not have yet. Refuses, adding nothing, when they would take the type
   * past its limit. Two imports registering at once may each pass the count: the limit can be passed
   * by one file's worth at most, which is bounded too.
   */
  async register(
    workspaceId: string,
    type: RecordType,
    fields: readonly { key: string; header: string }[],
    now: Date,
  ): Promise<void> {
    if (!fields.length) return;
    const known = new Set(
      (await this.model.find({ workspaceId, type }, { _id: 0, key: 1 }).lean()).map((r) => r.key),
    );
    const fresh = fields.filter((f) => !known.has(f.key));
    if (!fresh.length) return;
    if (known.size + fresh.length > MAX_CUSTOM_PER_TYPE)
      throw new IntakeError(
        'invalid_mapping',
        `This workspace has ${known.size} custom fields for ${type}; this file would add ${fresh.length}, ` +
          `and a type can have at most ${MAX_CUSTOM_PER_TYPE}. Map the columns to existing fields or skip them.`,
      );
    const ops = fresh.map((f) => ({
      updateOne: {
        filter: { workspaceId, type, key: f.key },
        update: {
          $setOnInsert: { label: labelOf(f.header) || f.key, createdAt: now },
        },
        upsert: true,
      },
    }));
    try {
      await this.model.bulkWrite(ops, { ordered: false });
    } catch (e) {
      duplicateIndexes(e); // another import registered the same key at once: fine
    }
  }
}

/** A header as a label: printable, trimmed, clipped. */
function labelOf(header: string): string {
  return header
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .trim()
    .slice(0, LABEL_CHARS);
}
