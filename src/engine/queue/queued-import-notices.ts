import { Injectable, Logger } from '@nestjs/common';
import { redact } from '../../core/redact';
import type { ImportNotices } from './import-notices';
import { ImportNotice, NOTICE_CHANNELS, NOTICE_JOBS, NoticeChannel } from './job-catalogue';
import { JobQueues } from './job-queues';

/** Import notices as jobs of the catalogue, one queue per door. */
@Injectable()
export class QueuedImportNotices implements ImportNotices {
  private readonly log = new Logger('ImportNotices');

  constructor(private readonly jobs: JobQueues) {}

  async finished(imp: Parameters<ImportNotices['finished']>[0]): Promise<void> {
    const channel = imp.channel as NoticeChannel;
    if (!NOTICE_CHANNELS.includes(channel)) return;
    const endedAt = imp.finishedAt?.getTime() ?? 0;
    const notice: ImportNotice = {
      importId: imp._id,
      workspaceId: imp.workspaceId,
      status: imp.status,
      endedAt,
    };
    try {
      // One notice per ending, however many processes see it end.
      await this.jobs.add(NOTICE_JOBS[channel], notice, `${imp._id}:${imp.status}:${endedAt}`);
    } catch (e) {
      this.log.error(
        `could not queue the ${channel} notice of import ${imp._id}: ${redact((e as Error).message)}`,
      );
    }
  }

  consume(channel: NoticeChannel, handler: (notice: ImportNotice) => Promise<void>): void {
    this.jobs.process(NOTICE_JOBS[channel], handler);
  }
}
