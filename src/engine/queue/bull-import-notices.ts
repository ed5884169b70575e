import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { ImportNotice, ImportNotices, NOTICE_CHANNELS, NoticeChannel } from './import-notices';
import { noticeQueueName } from './queue.constants';

@Injectable()
export class BullImportNotices implements ImportNotices {
  private readonly log = new Logger('ImportNotices');
  private readonly queues: Record<NoticeChannel, Queue<ImportNotice>>;

  constructor(
    @InjectQueue(noticeQueueName('slack')) slack: Queue<ImportNotice>,
    @InjectQueue(noticeQueueName('email')) email: Queue<ImportNotice>,
  ) {
    this.queues = { slack, email };
  }

  async finished(imp: Parameters<ImportNotices['finished']>[0]): Promise<void> {
    const channel = imp.channel as NoticeChannel;
    if (!NOTICE_CHANNELS.includes(channel)) return;
    const notice: ImportNotice = { importId: imp._id, workspaceId: imp.workspaceId, status: imp.status };
    try {
      await this.queues[channel].add(notice, {
        // One notice per ending, however many processes see it end.
        jobId: `${imp._id}:${imp.status}:${imp.finishedAt?.getTime() ?? 0}`,
        attempts: 8,
        backoff: { type: 'exponential', delay: 2000 },
        removeOnComplete: true,
        removeOnFail: 1000,
      });
    } catch (e) {
      this.log.error(`could not queue the ${channel} notice of import ${imp._id}: ${(e as Error).message}`);
    }
  }

  consume(channel: NoticeChannel, handler: (notice: ImportNotice) => Promise<void>): void {
    void this.queues[channel].process(4, async (job) => handler(job.data));
  }
}
