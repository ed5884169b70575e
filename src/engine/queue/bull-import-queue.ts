import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ImportQueue } from './import-queue';
import { IMPORT_QUEUE, RUN_IMPORT_JOB, RunImportPayload } from './queue.constants';

@Injectable()
export class BullImportQueue implements ImportQueue {
  constructor(
    @InjectQueue(IMPORT_QUEUE) private readonly queue: Queue<RunImportPayload>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async enqueue(payload: RunImportPayload): Promise<void> {
    await this.queue.add(RUN_IMPORT_JOB, payload, {
      jobId: payload.importId,
      attempts: this.config.queue.attempts,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: true,
      removeOnFail: 1000,
    });
  }

  async discard(importId: string): Promise<void> {
    const job = await this.queue.getJob(importId);
    if (job && !(await job.isActive())) await job.remove();
  }

  async isPending(importId: string): Promise<boolean> {
    const job = await this.queue.getJob(importId);
    if (!job) return false;
    const state = await job.getState();
    return state === 'waiting' || state === 'active' || state === 'delayed' || state === 'paused';
  }
}
