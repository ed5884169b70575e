import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { deleteInBatches } from '../records/batched-delete';
import { insertRefusingDuplicates } from '../records/write-accounting';
import { ImportRowIssue } from './import.schema';

export interface RowIssue {
  row: number;
  outcome: 'skipped' | 'flagged';
  reason: string;
  cells: readonly string[];
}

@Injectable()
export class ImportRowsRepository {
  constructor(@InjectModel(ImportRowIssue.name) private readonly model: Model<ImportRowIssue>) {}

  /** Idempotent: a resumed batch re-inserts rows already written and the unique index drops them. */
  async add(workspaceId: string, importId: string, issues: readonly RowIssue[]): Promise<void> {
    // A row already written is refused by the unique index: fine; anything else is thrown.
    const docs = issues.map((i) => ({ ...i, importId, workspaceId }));
    await insertRefusingDuplicates(this.model.collection, docs, 'insertMany of row issues');
  }

  /** In batches: a dry run of a large file leaves many rows, and one huge delete may fail half-way. */
  async clear(workspaceId: string, importId: string): Promise<void> {
    await deleteInBatches(this.model, { workspaceId, importId });
  }

  /** Deletes up to `limit` of the import's rows; returns how many (0: none left). */
  async deleteSome(workspaceId: string, importId: string, limit: number): Promise<number> {
    const ids = (
      await this.model.find({ workspaceId, importId }, { _id: 1 }).limit(limit).lean<{ _id: unknown }[]>()
    ).map((d) => d._id);
    if (!ids.length) return 0;
    return (await this.model.deleteMany({ _id: { $in: ids } })).deletedCount;
  }

  /** The rows in file order (skipped and flagged together, or one of them), streamed from the database. */
  stream(
    workspaceId: string,
    importId: string,
    outcomes: readonly ('skipped' | 'flagged')[] = ['skipped', 'flagged'],
  ): AsyncIterable<RowIssue> {
    return this.model.collection
      .find(
        { workspaceId, importId, outcome: { $in: [...outcomes] } },
        { projection: { _id: 0, row: 1, outcome: 1, reason: 1, cells: 1 } },
      )
      .sort({ row: 1 }) as unknown as AsyncIterable<RowIssue>;
  }

  /** How many rows of an import were skipped for exactly this reason (e.g. "already exists"). */
  countSkipped(workspaceId: string, importId: string, reason: string): Promise<number> {
    return this.model.countDocuments({ workspaceId, importId, outcome: 'skipped', reason });
  }

  /** Every row's outcome and reason, without cells, in no particular order: for a summary. */
  allReasons(workspaceId: string, importId: string): AsyncIterable<Pick<RowIssue, 'outcome' | 'reason'>> {
    return this.model.collection.find(
      { workspaceId, importId },
      { projection: { _id: 0, outcome: 1, reason: 1 }, batchSize: 1000 },
    ) as unknown as AsyncIterable<Pick<RowIssue, 'outcome' | 'reason'>>;
  }

  /** The first `limit` rows' outcomes and reasons, without their cells: for counting reasons. */
  reasons(
    workspaceId: string,
    importId: string,
    limit: number,
  ): AsyncIterable<Pick<RowIssue, 'outcome' | 'reason'>> {
    return this.model.collection
      .find({ workspaceId, importId }, { projection: { _id: 0, outcome: 1, reason: 1 } })
      .sort({ row: 1 })
      .limit(limit) as unknown as AsyncIterable<Pick<RowIssue, 'outcome' | 'reason'>>;
  }
}
