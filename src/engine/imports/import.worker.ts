import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CLOCK, Clock } from '../../core/clock';
import { redact } from '../../core/redact';
import { IMPORT_QUEUE_PORT, ImportQueue } from '../queue/import-queue';
import { IMPORT_QUEUE, RUN_IMPORT_JOB, RunImportPayload } from '../queue/queue.constants';
import { ImportRunner } from './import-runner';
import { ImportsRepository } from './imports.repository';

/** The worker role: a thin shell that hands jobs to the runner and never lets an import hang. */
@Injectable()
export class ImportWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(ImportWorker.name);
  private sweeper?: NodeJS.Timeout;

  constructor(
    @InjectQueue(IMPORT_QUEUE) private readonly queue: Queue<RunImportPayload>,
    @Inject(IMPORT_QUEUE_PORT) private readonly port: ImportQueue,
    private readonly runner: ImportRunner,
    private readonly imports: ImportsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    void this.queue.process(RUN_IMPORT_JOB, this.config.queue.concurrency, (job: Job<RunImportPayload>) =>
      this.runner.run(job.data, async (row) => {
        await job.progress(row).catch(() => undefined);
      }),
    );
    this.queue.on('failed', (job: Job<RunImportPayload>, err: Error) => void this.onFailed(job, err));
    this.sweeper = setInterval(
      () => void this.sweep(),
      Math.min(60_000, this.config.queue.staleImportMs / 2),
    );
    this.sweeper.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  private async onFailed(job: Job<RunImportPayload>, err: Error): Promise<void> {
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || /stalled/i.test(err.message);
    this.log.warn(`import ${job.data.importId} attempt ${job.attemptsMade} failed: ${redact(err.message)}`);
    if (final) await this.runner.giveUp(job.data, redact(err.message)).catch((e) => this.log.error(e));
  }

  /** Imports whose heartbeat stopped and whose job the queue no longer holds are re-queued or failed. */
  async sweep(): Promise<void> {
    try {
      const before = new Date(this.clock.now().getTime() - this.config.queue.staleImportMs);
      for (const imp of await this.imports.findStale(before, 50)) {
        const payload = { importId: imp._id, workspaceId: imp.workspaceId };
        if (await this.port.isPending(imp._id)) continue;
        if (imp.status === 'queued') await this.port.enqueue(payload);
        else await this.runner.giveUp(payload, 'its worker stopped responding');
      }
    } catch (e) {
      this.log.warn(`stale-import sweep failed: ${redact((e as Error).message)}`);
    }
  }
}
