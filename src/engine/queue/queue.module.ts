import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { BullImportNotices } from './bull-import-notices';
import { BullImportQueue } from './bull-import-queue';
import { IMPORT_NOTICES_PORT, NOTICE_CHANNELS } from './import-notices';
import { IMPORT_QUEUE_PORT } from './import-queue';
import { IMPORT_QUEUE, noticeQueueName } from './queue.constants';

/** A Bull queue on the app's Redis and key prefix, with default settings (doors' own queues use it too). */
export function registerAppQueue(name: string) {
  return BullModule.registerQueueAsync({
    name,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ({ url: config.redisUrl, prefix: config.queue.prefix }),
  });
}

/** The only module that knows the queue is Bull; the engine sees the ImportQueue port. */
@Module({
  imports: [
    BullModule.registerQueueAsync({
      name: IMPORT_QUEUE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        url: config.redisUrl,
        prefix: config.queue.prefix,
        settings: {
          lockDuration: config.queue.lockDurationMs,
          lockRenewTime: Math.floor(config.queue.lockDurationMs / 3),
          stalledInterval: config.queue.stalledIntervalMs,
          // A worker killed mid-import leaves a stalled job; let a live worker resume it a few times.
          maxStalledCount: 3,
        },
      }),
    }),
    ...NOTICE_CHANNELS.map((channel) => registerAppQueue(noticeQueueName(channel))),
  ],
  providers: [
    BullImportQueue,
    BullImportNotices,
    { provide: IMPORT_QUEUE_PORT, useExisting: BullImportQueue },
    { provide: IMPORT_NOTICES_PORT, useExisting: BullImportNotices },
  ],
  exports: [IMPORT_QUEUE_PORT, IMPORT_NOTICES_PORT, BullModule],
})
export class QueueModule {}
