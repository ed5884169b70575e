import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { IMPORT_EVENTS_PORT } from './import-events';
import { IMPORT_NOTICES_PORT } from './import-notices';
import { JOB_KINDS, JOBS } from './job-catalogue';
import { ImportTurns } from './import-turns';
import { JobQueues } from './job-queues';
import { QueuedImportNotices } from './queued-import-notices';
import { RecordLocks } from './record-locks';
import { RedisImportEvents } from './redis-import-events';

const QUEUE_NAMES = [...new Set(JOB_KINDS.map((kind) => JOBS[kind].queue))];

/**
 * The only module that knows the queue is Bull on Redis. It declares a Bull queue for every queue of the
 * job catalogue, on the app's Redis and key prefix, and gives the rest of Intake typed jobs (JobQueues),
 * durable import notices and import events.
 */
@Module({
  imports: QUEUE_NAMES.map((name) =>
    BullModule.registerQueueAsync({
      name,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        url: config.redisUrl,
        prefix: config.queue.prefix,
        settings: {
          lockDuration: config.queue.lockDurationMs,
          lockRenewTime: Math.floor(config.queue.lockDurationMs / 3),
          stalledInterval: config.queue.stalledIntervalMs,
          // A worker killed mid-job leaves a stalled job; let a live worker resume it a few times.
          maxStalledCount: 3,
        },
      }),
    }),
  ),
  providers: [
    JobQueues,
    ImportTurns,
    RecordLocks,
    QueuedImportNotices,
    RedisImportEvents,
    { provide: IMPORT_NOTICES_PORT, useExisting: QueuedImportNotices },
    { provide: IMPORT_EVENTS_PORT, useExisting: RedisImportEvents },
  ],
  exports: [JobQueues, ImportTurns, RecordLocks, IMPORT_NOTICES_PORT, IMPORT_EVENTS_PORT],
})
export class QueueModule {}
