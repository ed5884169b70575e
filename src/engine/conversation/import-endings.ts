import { Inject, Injectable } from '@nestjs/common';
import { ImportQueries } from '../use-cases/queries/import-queries';
import type { ImportView } from '../imports/import-view';
import { IMPORT_NOTICES_PORT, ImportNotices } from '../queue/import-notices';
import type { ImportNotice, NoticeChannel } from '../queue/job-catalogue';

/** One ending of one import, to be told once. */
export interface Ending {
  notice: ImportNotice;
  view: ImportView;
  /**
   * Stable per ending (status and when it ended): a door records the steps it has done under this key,
   * so a notice retried after a half-done answer (Slack refused an upload, SMTP was down) never tells
   * the same thing twice, and a later ending of the same import (a dry run run for real) is told anew.
   */
  key: string;
}

/**
 * Hands each door the endings of its imports, once, with the import as it is now: an ending the import
 * has since moved on from (a dry run started for real) is dropped, because its own notice follows.
 */
@Injectable()
export class ImportEndings {
  constructor(
    @Inject(IMPORT_NOTICES_PORT) private readonly notices: ImportNotices,
    private readonly imports: ImportQueries,
  ) {}

  consume(channel: NoticeChannel, tell: (ending: Ending) => Promise<void>): void {
    this.notices.consume(channel, async (notice) => {
      const view = await this.imports.get(notice.workspaceId, notice.importId);
      const endedAt = view.finishedAt?.getTime() ?? 0;
      if (view.status !== notice.status) return;
      if (notice.endedAt !== undefined && notice.endedAt !== endedAt) return;
      await tell({ notice, view, key: `${notice.status}:${endedAt}` });
    });
  }
}
