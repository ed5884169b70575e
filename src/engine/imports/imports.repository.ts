import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, UpdateQuery } from 'mongoose';
import { Import, ImportCounts, ImportStatus } from './import.schema';

/** FerretDB 1.x stores no nested arrays, so sample rows are kept as {cells} objects in the database. */
type StoredImport = Omit<Import, 'layout'> & {
  layout: Omit<Import['layout'], 'samples'> & { samples: { cells: string[] }[] };
};

function toStored(imp: Import): StoredImport {
  return { ...imp, layout: { ...imp.layout, samples: imp.layout.samples.map((cells) => ({ cells })) } };
}

function fromStored(doc: StoredImport | null): Import | null {
  if (!doc) return null;
  return { ...doc, layout: { ...doc.layout, samples: doc.layout.samples.map((s) => s.cells) } };
}

/** Imports per workspace. Status changes are conditional updates, so two actors cannot both win. */
@Injectable()
export class ImportsRepository {
  constructor(@InjectModel(Import.name) private readonly model: Model<Import>) {}

  async create(doc: Import): Promise<Import> {
    await this.model.collection.insertOne(toStored(doc) as unknown as Record<string, unknown>);
    return doc;
  }

  async find(workspaceId: string, id: string): Promise<Import | null> {
    return fromStored(await this.model.findOne({ _id: id, workspaceId }).lean<StoredImport>());
  }

  async list(workspaceId: string, limit: number): Promise<Import[]> {
    const docs = await this.model
      .find({ workspaceId })
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean<StoredImport[]>();
    return docs.map((d) => fromStored(d)!);
  }

  /** Applies `update` only while the import is in one of `from`; returns the updated import or null. */
  async transition(
    workspaceId: string,
    id: string,
    from: readonly ImportStatus[],
    update: UpdateQuery<Import>,
  ): Promise<Import | null> {
    return fromStored(
      await this.model
        .findOneAndUpdate({ _id: id, workspaceId, status: { $in: [...from] } }, update, { new: true })
        .lean<StoredImport>(),
    );
  }

  /** Moves a queued (or interrupted running) import to running; null when it should not run. */
  async begin(workspaceId: string, id: string, now: Date): Promise<Import | null> {
    // Two updates instead of an update pipeline: FerretDB 1.x has no pipeline updates.
    await this.model.updateOne(
      { _id: id, workspaceId, status: 'queued', startedAt: null },
      { $set: { startedAt: now } },
    );
    return this.transition(workspaceId, id, ['queued', 'running'], {
      $set: { status: 'running', heartbeatAt: now },
      $inc: { attempts: 1 },
    });
  }

  /** Records a committed batch; false when the import is no longer running (cancelled meanwhile). */
  async checkpoint(
    workspaceId: string,
    id: string,
    committedRow: number,
    counts: ImportCounts,
    now: Date,
  ): Promise<boolean> {
    // One round trip: the update returns the status it found (cancelled meanwhile: the batch and its
    // counts are recorded, and the run stops here). No projection: FerretDB 1.x rejects one here.
    const doc = await this.model
      .findOneAndUpdate(
        { _id: id, workspaceId, status: { $in: ['running', 'cancelled'] } },
        { $set: { committedRow, counts, heartbeatAt: now } },
        { new: true },
      )
      .lean<{ status: ImportStatus }>();
    return doc?.status === 'running';
  }

  async findStale(before: Date, limit: number): Promise<Import[]> {
    const docs = await this.model
      .find({ status: { $in: ['queued', 'running'] }, heartbeatAt: { $lt: before } })
      .limit(limit)
      .lean<StoredImport[]>();
    return docs.map((d) => fromStored(d)!);
  }
}
