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
/** A listing shows at most this many headers, the most recently learned first. */
const LIST_MAX = 1000;
/** How much of a header the memory keeps to show it again. */
const LABEL_CHARS = 200;

/** One learned header→field choice, with where it was learned when that is known. */
export interface LearnedChoice {
  header: string;
  field: MappingTarget | null;
  updatedAt: Date;
  label?: string | null;
  importId?: string | null;
  fileName?: string | null;
}

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

  /** As `learned`, with each choice's source. */
  async choices(
    workspaceId: string,
    type: RecordType,
    headers: readonly string[],
  ): Promise<Map<string, LearnedChoice>> {
    const keys = [...new Set(headers.map(normalizeHeader).filter((k) => k !== ''))];
    if (!keys.length) return new Map();
    const rows = await this.model.find({ workspaceId, type, header: { $in: keys } }).lean();
    return new Map(rows.map((r) => [r.header, toChoice(r)]));
  }

  async remember(
    workspaceId: string,
    type: RecordType,
    choices: readonly { header: string; field: MappingTarget | null }[],
    now: Date,
    source?: { importId: string; fileName: string },
  ): Promise<void> {
    const ops = choices
      .filter((c) => normalizeHeader(c.header) !== '')
      .map((c) => ({
        updateOne: {
          filter: { workspaceId, type, header: normalizeHeader(c.header) },
          update: {
            $set: {
              field: c.field,
              updatedAt: now,
              label: c.header.slice(0, LABEL_CHARS),
              importId: source?.importId ?? null,
              fileName: source?.fileName ?? null,
            },
          },
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

  /** The workspace's learned headers of a type, the most recently learned first, bounded. */
  async list(workspaceId: string, type: RecordType): Promise<LearnedChoice[]> {
    const rows = await this.model
      .find({ workspaceId, type })
      .sort({ updatedAt: -1, _id: -1 })
      .limit(LIST_MAX)
      .lean();
    return rows.map(toChoice);
  }

  /** Drops the choice learned for a normalised header; null when there was none. */
  async forget(workspaceId: string, type: RecordType, header: string): Promise<LearnedChoice | null> {
    const gone = await this.model.findOneAndDelete({ workspaceId, type, header }).lean();
    return gone ? toChoice(gone) : null;
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

function toChoice(r: MappingMemory): LearnedChoice {
  return {
    header: r.header,
    field: r.field as MappingTarget | null,
    updatedAt: r.updatedAt,
    label: r.label ?? null,
    importId: r.importId ?? null,
    fileName: r.fileName ?? null,
  };
}
