import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import type { ImportStatus } from '../../core/lifecycle/import-lifecycle';
import { Import } from './import.schema';
import { ImportBrief, readBriefs, SETTLED } from './stored-import';

/**
 * The imports the workers' sweeps look after, across workspaces and a batch at a time: imports nobody
 * looked after lately, uploads whose storing stopped, and what the retention sweep expires or deletes.
 * It only reads; each change a sweep then makes is ImportsRepository's conditional update.
 */
@Injectable()
export class ImportSweepsRepository {
  constructor(@InjectModel(Import.name) private readonly model: Model<Import>) {}

  /** Imports that need a worker and have not been looked after since `before`. */
  async findUnattended(
    statuses: readonly ImportStatus[],
    before: Date,
    limit: number,
  ): Promise<ImportBrief[]> {
    return readBriefs(this.model, { status: { $in: [...statuses] }, heartbeatAt: { $lt: before } }, limit);
  }

  /** Imports whose file has been storing with no sign of life since `before`. */
  async findStoringSince(before: Date, limit: number): Promise<ImportBrief[]> {
    return readBriefs(this.model, { fileStoring: true, heartbeatAt: { $lt: before } }, limit);
  }

  /** Imports still waiting for a mapping that were uploaded before `before`. */
  async findAwaitingSince(before: Date, limit: number): Promise<ImportBrief[]> {
    return readBriefs(this.model, { status: 'awaiting_mapping', createdAt: { $lt: before } }, limit);
  }

  /** Settled imports (or those in `statuses`) that ended before `before` and still hold their stored file. */
  async findHoldingFiles(
    before: Date,
    limit: number,
    statuses: readonly ImportStatus[] = SETTLED,
  ): Promise<ImportBrief[]> {
    return readBriefs(
      this.model,
      { status: { $in: [...statuses] }, finishedAt: { $lt: before }, fileDeletedAt: null },
      limit,
    );
  }

  /** Settled imports that ended before `before` and still hold report rows. */
  async findHoldingReportRows(before: Date, limit: number): Promise<ImportBrief[]> {
    return readBriefs(
      this.model,
      { status: { $in: SETTLED }, finishedAt: { $lt: before }, reportRowsDeletedAt: null },
      limit,
    );
  }
}
