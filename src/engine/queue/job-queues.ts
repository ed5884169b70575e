import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { redact } from '../../core/redact';
import { GiveUp, JOB_KINDS, JobKind, JobPayloads, JOBS } from './job-catalogue';

/** Jobs of the catalogue on Bull; the rest of Intake sees kinds and typed payloads, never Bull. */
@Injectable()
export class JobQueues {
  private readonly log = new Logger('JobQueues');
  private readonly queues = new Map<JobKind, Queue>();

  constructor(
    @InjectQueue(JOBS['run-import'].queue) runImport: Queue,
    @InjectQueue(JOBS['import-ended-slack'].queue) endedSlack: Queue,
    @InjectQueue(JOBS['import-ended-email'].queue) endedEmail: Queue,
    @InjectQueue(JOBS['email-inbound'].queue) inbound: Queue,
    @InjectQueue(JOBS['email-outbound'].queue) outbound: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const byKind: Record<JobKind, Queue> = {
      'run-import': runImport,
      'import-ended-slack': endedSlack,
      'import-ended-email': endedEmail,
      'email-inbound': inbound,
      'email-outbound': outbound,
    };
    for (const kind of JOB_KINDS) this.queues.set(kind, byKind[kind]);
  }

  /** Queues a job once per id: a job with this id already waiting or running is left as it is. */
  async add<K extends JobKind>(kind: K, payload: JobPayloads[K], jobId: string): Promise<void> {
    const spec = JOBS[kind];
    const opts = {
      jobId,
      attempts: spec.attempts(this.config.queue),
      backoff: { type: 'exponential', delay: this.config.queue.retryDelayMs },
      removeOnComplete: true,
      removeOnFail: 1000,
    };
    const queue = this.queue(kind);
    await (spec.name ? queue.add(spec.name, payload, opts) : queue.add(payload, opts));
  }

  /** Runs this process's share of a kind's jobs; `onGiveUp` hears of a job the queue will not retry. */
  process<K extends JobKind>(
    kind: K,
    handler: (payload: JobPayloads[K]) => Promise<void>,
    onGiveUp?: (payload: JobPayloads[K], why: GiveUp) => Promise<void>,
  ): void {
    const spec = JOBS[kind];
    const queue = this.queue(kind);
    const concurrency = spec.concurrency(this.config.queue);
    const run = (job: Job<JobPayloads[K]>) => handler(job.data);
    void (spec.name ? queue.process(spec.name, concurrency, run) : queue.process(concurrency, run));
    if (!onGiveUp) return;
    queue.on('failed', (job: Job<JobPayloads[K]>, err: Error) => {
      const stalled = /stalled/i.test(err.message);
      const final = job.attemptsMade >= (job.opts.attempts ?? 1) || (stalled && spec.finalOnStall);
      this.log.warn(`${kind} job ${job.id} attempt ${job.attemptsMade} failed: ${redact(err.message)}`);
      if (!final) return;
      onGiveUp(job.data, { attempts: job.attemptsMade, reason: redact(err.message) }).catch((e: unknown) =>
        this.log.error(`${kind} job ${job.id}: ${redact((e as Error).message)}`),
      );
    });
  }

  /** Drops a job that is not running (waiting, delayed, finished), so its id can be queued again. */
  async discard(kind: JobKind, jobId: string): Promise<void> {
    const job = await this.queue(kind).getJob(jobId);
    if (job && !(await job.isActive())) await job.remove();
  }

  /** True while a job with this id waits or runs. */
  async isPending(kind: JobKind, jobId: string): Promise<boolean> {
    const job = await this.queue(kind).getJob(jobId);
    if (!job) return false;
    const state = await job.getState();
    return state === 'waiting' || state === 'active' || state === 'delayed' || state === 'paused';
  }

  /** Resolves once Redis answers. */
  async ready(): Promise<void> {
    await this.queue('run-import').isReady();
  }

  async ping(): Promise<void> {
    await this.queue('run-import').client.ping();
  }

  /** The Bull queues, for the operators' dashboard only. */
  bullQueues(): Queue[] {
    return [...new Set(this.queues.values())];
  }

  private queue(kind: JobKind): Queue {
    const queue = this.queues.get(kind);
    if (!queue) throw new Error(`no queue for ${kind}`);
    return queue;
  }
}
