import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, UpdateQuery } from 'mongoose';
import type { StorageUse } from '../../core/fairness/upload-quota';
import type { ReportSummaryLine } from '../../core/report/report-summary';
import { IntakeError } from '../../core/intake-error';
import type { ImportStatus } from '../../core/lifecycle/import-lifecycle';
import { RecordLocks } from '../queue/record-locks';
import { Channel, HISTORY_LIMIT, Import, ImportAct, ImportCounts } from './import.schema';
import {
  fromStored,
  ImportBrief,
  readBriefs,
  SETTLED,
  storedChange,
  StoredImport,
  toStored,
} from './stored-import';

/** Matches mapping version `v`; version 0 also matches an import stored before versions existed. */
function atVersion(v: number): Record<string, unknown> {
  return { mappingVersion: v === 0 ? { $in: [0, null] } : v };
}

/** Conditions a status move may add: the mapping version a start validated, a file still stored. */
export type MoveWhere = Partial<Pick<Import, 'mappingVersion' | 'dryRun'>> & { fileKept?: true };

/** Narrows a list: one door's imports, and those a person of that door shared or started. */
export interface ImportFilter {
  channel?: Channel;
  person?: string;
}

/** Imports per workspace. Every change is a conditional update, so two actors cannot both win. */
@Injectable()
export class ImportsRepository {
  constructor(
    @InjectModel(Import.name) private readonly model: Model<Import>,
    private readonly locks: RecordLocks,
  ) {}

  async create(doc: Import): Promise<Import> {
    await this.model.collection.insertOne(toStored(doc) as unknown as Record<string, unknown>);
    return doc;
  }

  async find(workspaceId: string, id: string): Promise<Import | null> {
    return fromStored(await this.model.findOne({ _id: id, workspaceId }).lean<StoredImport>());
  }

  /** The import, or a not_found that names it. */
  async get(workspaceId: string, id: string): Promise<Import> {
    const imp = await this.find(workspaceId, id);
    if (!imp) throw new IntakeError('not_found', `No import "${id}" in this workspace.`);
    return imp;
  }

  async list(workspaceId: string, limit: number, filter: ImportFilter = {}): Promise<ImportBrief[]> {
    const query: Record<string, unknown> = { workspaceId };
    if (filter.channel) query.channel = filter.channel;
    if (filter.person) query.$or = [{ 'origin.user': filter.person }, { 'origin.startedBy': filter.person }];
    return readBriefs(this.model, query, limit, { createdAt: -1 });
  }

  /**
   * The one write that changes an import's status: from `from` to `to`, only while the import is still
   * in `from` and matches `where`. Null when it is not (someone else moved it first). Which moves are
   * allowed is the lifecycle's to say (ImportLifecycle calls this); nothing else writes `status`.
   */
  async move(
    workspaceId: string,
    id: string,
    from: ImportStatus,
    to: ImportStatus,
    change: { set?: Partial<Import>; inc?: Partial<Record<'attempts', number>> } = {},
    where: MoveWhere = {},
  ): Promise<Import | null> {
    const update: UpdateQuery<Import> = { $set: { ...change.set, status: to } };
    if (change.inc) update.$inc = change.inc;
    return this.locks.run(`import:${id}`, async () =>
      fromStored(
        await this.model
          .findOneAndUpdate(
            {
              _id: id,
              workspaceId,
              status: from,
              ...(where.dryRun !== undefined ? { dryRun: where.dryRun } : {}),
              ...(where.mappingVersion !== undefined ? atVersion(where.mappingVersion) : {}),
              // null also matches imports stored before the field existed.
              ...(where.fileKept ? { fileDeletedAt: null } : {}),
            },
            update,
            { new: true },
          )
          .lean<StoredImport>(),
      ),
    );
  }

  /** Stores a changed mapping, only while the import awaits it and nobody changed it since `version`. */
  async changeMapping(
    workspaceId: string,
    id: string,
    version: number,
    set: Pick<Import, 'type' | 'mapping' | 'typeChosenAt'> & Partial<Pick<Import, 'layout'>>,
  ): Promise<Import | null> {
    return this.locks.run(`import:${id}`, async () =>
      fromStored(
        await this.model
          .findOneAndUpdate(
            { _id: id, workspaceId, status: 'awaiting_mapping', ...atVersion(version) },
            { $set: { ...storedChange(set), mappingVersion: version + 1 } },
            { new: true },
          )
          .lean<StoredImport>(),
      ),
    );
  }

  /**
   * Records a committed batch while the import runs or waits to be cancelled; returns the state found
   * (null: no longer running at all), so the runner stops after this batch when a cancel is waiting.
   */
  async checkpoint(
    workspaceId: string,
    id: string,
    committedRow: number,
    counts: ImportCounts,
    now: Date,
  ): Promise<ImportStatus | null> {
    // One round trip: the update returns the status it found. No projection: FerretDB 1.x rejects one here.
    const doc = await this.locks.run(`import:${id}`, () =>
      this.model
        .findOneAndUpdate(
          { _id: id, workspaceId, status: { $in: ['running', 'cancelling'] } },
          { $set: { committedRow, counts, heartbeatAt: now } },
          { new: true },
        )
        .lean<{ status: ImportStatus }>()
        .exec(),
    );
    return doc?.status ?? null;
  }

  /** Marks that a worker (or the sweep) looked after the import just now. */
  async touch(workspaceId: string, id: string, status: ImportStatus, now: Date): Promise<void> {
    await this.locks.run(`import:${id}`, () =>
      this.model.updateOne({ _id: id, workspaceId, status }, { $set: { heartbeatAt: now } }).exec(),
    );
  }

  /**
   * What the workspace keeps: bytes of files not yet deleted, and report rows not yet deleted (each
   * skipped or flagged row of an import is one report row).
   */
  async storageUse(workspaceId: string): Promise<StorageUse> {
    const [files] = await this.model.aggregate<{ bytes: number }>([
      { $match: { workspaceId, fileDeletedAt: null } },
      { $group: { _id: null, bytes: { $sum: '$fileBytes' } } },
    ]);
    const [rows] = await this.model.aggregate<{ skipped: number; flagged: number }>([
      { $match: { workspaceId, reportRowsDeletedAt: null } },
      { $group: { _id: null, skipped: { $sum: '$counts.skipped' }, flagged: { $sum: '$counts.flagged' } } },
    ]);
    return { bytes: files?.bytes ?? 0, reportRows: (rows?.skipped ?? 0) + (rows?.flagged ?? 0) };
  }

  /** How many of the workspace's imports are in `status`. */
  async countInStatus(workspaceId: string, status: ImportStatus): Promise<number> {
    return this.model.countDocuments({ workspaceId, status }).exec();
  }

  /** The process storing the import's file is alive: keeps it from being taken for lost. */
  async storing(workspaceId: string, id: string, now: Date): Promise<void> {
    await this.locks.run(`import:${id}`, () =>
      this.model
        .updateOne({ _id: id, workspaceId, fileStoring: true }, { $set: { heartbeatAt: now } })
        .exec(),
    );
  }

  /** The import's file is stored: returns the import as it is now (null when it was no longer storing). */
  async stored(workspaceId: string, id: string, now: Date): Promise<Import | null> {
    return this.locks.run(`import:${id}`, async () =>
      fromStored(
        await this.model
          .findOneAndUpdate(
            { _id: id, workspaceId, fileStoring: true },
            { $set: { fileStoring: false, heartbeatAt: now } },
            { new: true },
          )
          .lean<StoredImport>(),
      ),
    );
  }

  /** Lets a held import go: returns it as it is now (null when it was not held). */
  async release(workspaceId: string, id: string): Promise<Import | null> {
    return this.locks.run(`import:${id}`, async () =>
      fromStored(
        await this.model
          .findOneAndUpdate({ _id: id, workspaceId, held: true }, { $set: { held: false } }, { new: true })
          .lean<StoredImport>(),
      ),
    );
  }

  /** Adds one act to the import's history, keeping the last HISTORY_LIMIT. */
  async recordAct(workspaceId: string, id: string, act: ImportAct): Promise<void> {
    await this.locks.run(`import:${id}`, () =>
      this.model.updateOne(
        { _id: id, workspaceId },
        { $push: { history: { $each: [act], $slice: -HISTORY_LIMIT } } },
      ),
    );
  }

  /** Keeps the report's summary before its rows go; the first summary written stays. */
  async summariseReport(workspaceId: string, id: string, lines: ReportSummaryLine[]): Promise<void> {
    await this.locks.run(`import:${id}`, () =>
      this.model
        .updateOne({ _id: id, workspaceId, reportSummary: null }, { $set: { reportSummary: lines } })
        .exec(),
    );
  }

  /** The report's rows are all deleted: they no longer count in the workspace's storage. */
  async reportRowsDeleted(workspaceId: string, id: string, now: Date): Promise<void> {
    await this.locks.run(`import:${id}`, () =>
      this.model
        .updateOne(
          { _id: id, workspaceId, reportRowsDeletedAt: null },
          { $set: { reportRowsDeletedAt: now } },
        )
        .exec(),
    );
  }

  /**
   * Claims the import's stored file for deletion: true for the one caller that marked it, while the
   * import is still settled and ended before `before`. A retry or real run must find the file kept
   * (MoveWhere.fileKept), so either it wins and the file stays, or this wins and it is refused.
   */
  async releaseFile(workspaceId: string, id: string, before: Date, now: Date): Promise<boolean> {
    const res = await this.locks.run(`import:${id}`, () =>
      this.model
        .updateOne(
          {
            _id: id,
            workspaceId,
            status: { $in: SETTLED },
            finishedAt: { $lt: before },
            fileDeletedAt: null,
          },
          { $set: { fileDeletedAt: now } },
        )
        .exec(),
    );
    return res.modifiedCount === 1;
  }
}
