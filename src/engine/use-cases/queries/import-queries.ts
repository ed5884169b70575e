import { Injectable } from '@nestjs/common';
import type { Channel } from '../../imports/import.schema';
import { ImportSummary, ImportView, toImportSummary, toImportView } from '../../imports/import-view';
import { ImportFilter, ImportsRepository } from '../../imports/imports.repository';
import { ImportLine } from '../shared/import-line';

/** Reading a workspace's imports: one, the recent ones, and where one came from. Nothing changes. */
@Injectable()
export class ImportQueries {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly line: ImportLine,
  ) {}

  /** One import, with why it waits when its workspace's limits hold it back. */
  async get(workspaceId: string, id: string): Promise<ImportView> {
    const imp = await this.imports.get(workspaceId, id);
    return { ...toImportView(imp), waiting: await this.line.waitingReason(imp) };
  }

  /** The workspace's recent imports, newest first, as summaries (a listing never loads columns). */
  async list(workspaceId: string, limit = 20, filter: ImportFilter = {}): Promise<ImportSummary[]> {
    const n = Math.min(Math.max(limit, 1), 100);
    const imps = await this.imports.list(workspaceId, n, filter);
    return Promise.all(
      imps.map(async (imp) => ({ ...toImportSummary(imp), waiting: await this.line.waitingReason(imp) })),
    );
  }

  /** Which door an import came from and what that door recorded about it (who shared, who started). */
  async origin(
    workspaceId: string,
    id: string,
  ): Promise<{ channel: Channel; origin: Record<string, unknown> }> {
    const imp = await this.imports.get(workspaceId, id);
    return { channel: imp.channel, origin: imp.origin ?? {} };
  }
}
