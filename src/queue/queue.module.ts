import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { BullImportQueue } from './bull-import-queue';
import { IMPORT_QUEUE_PORT } from './import-queue';
import { IMPORT_QUEUE } from './queue.constants';

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
  ],
  providers: [BullImportQueue, { provide: IMPORT_QUEUE_PORT, useExisting: BullImportQueue }],
  exports: [IMPORT_QUEUE_PORT, BullModule],
})
export class QueueModule {}
