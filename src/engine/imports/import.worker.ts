import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CLOCK, Clock } from '../../core/clock';
import { redact } from '../../core/redact';
import { JobQueues } from '../queue/job-queues';
import { ImportLifecycle } from './import-lifecycle.service';
import { ImportNotFound, ImportRunner } from './import-runner';
import { ImportsRepository } from './imports.repository';

/** The worker role: a thin shell that hands jobs to the runner and never lets an import hang. */
@Injectable()
export class ImportWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(ImportWorker.name);
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly jobs: JobQueues,
    private readonly runner: ImportRunner,
    private readonly imports: ImportsRepository,
    private readonly lifecycle: ImportLifecycle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.process(
      'run-import',
      async (payload) => {
        try {
          await this.runner.run(payload);
        } catch (e) {
          // Loud: the job is retried (another setup's worker may hold the import), but this is a setup mistake.
          if (e instanceof ImportNotFound) this.log.error(e.message);
          throw e;
        }
      },
      (payload, why) => this.runner.giveUp(payload, why.reason),
    );
    this.sweeper = setInterval(() => void this.sweep(), this.config.queue.sweepMs);
    this.sweeper.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  /**
   * Nothing is left stuck: a queued import whose job is gone (Redis lost it, or queueing failed after
   * the import was queued) is queued again within two sweeps; a cancel whose worker died ends; a
   * running import whose heartbeat stopped and whose job is gone is failed with a reason (retry resumes).
   */
  async sweep(): Promise<void> {
    try {
      const now = this.clock.now();
      const recently = new Date(now.getTime() - this.config.queue.sweepMs);
      for (const imp of await this.imports.findUnattended(['queued', 'cancelling'], recently, 50)) {
        if (await this.jobs.isPending('run-import', imp._id)) continue;
        if (imp.status === 'cancelling') {
          await this.lifecycle.tryApply(imp.workspaceId, imp._id, 'stop', { current: imp });
          continue;
        }
        this.log.warn(`import ${imp._id} was queued without a job: queueing it again`);
        await this.jobs.discard('run-import', imp._id);
        await this.jobs.add('run-import', { importId: imp._id, workspaceId: imp.workspaceId }, imp._id);
        await this.imports.touch(imp.workspaceId, imp._id, 'queued', now);
      }
      const stale = new Date(now.getTime() - this.config.queue.staleImportMs);
      for (const imp of await this.imports.findUnattended(['running'], stale, 50)) {
        if (await this.jobs.isPending('run-import', imp._id)) continue;
        await this.runner.giveUp(
          { importId: imp._id, workspaceId: imp.workspaceId },
          'its worker stopped responding',
        );
      }
    } catch (e) {
      this.log.warn(`stale-import sweep failed: ${redact((e as Error).message)}`);
    }
  }
}
