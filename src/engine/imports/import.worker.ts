import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CLOCK, Clock } from '../../core/clock';
import { redact } from '../../core/redact';
import { ImportTurns, TurnTicket } from '../queue/import-turns';
import { JOBS, RunImportPayload } from '../queue/job-catalogue';
import { JobQueues } from '../queue/job-queues';
import { CompanyDomainBackfill } from '../records/company-domain-backfill';
import { ImportLifecycle } from './import-lifecycle';
import { ImportNotFound, ImportRunner } from './import-runner';
import { ticketOf } from './import-ticket';
import { UploadStoring } from './upload-storing';
import { ImportsRepository } from './imports.repository';
import { ImportSweepsRepository } from './import-sweeps.repository';

/** The worker role: a thin shell that hands jobs to the runner and never lets an import hang. */
@Injectable()
export class ImportWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(ImportWorker.name);
  private sweeper?: NodeJS.Timeout;
  private offering?: NodeJS.Timeout;
  /** This process among the workers whose slots the turns count. */
  private readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly jobs: JobQueues,
    private readonly turns: ImportTurns,
    private readonly runner: ImportRunner,
    private readonly imports: ImportsRepository,
    private readonly sweeps: ImportSweepsRepository,
    private readonly lifecycle: ImportLifecycle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly backfill: CompanyDomainBackfill,
    private readonly storing: UploadStoring,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.process(
      'run-import',
      (payload) => this.runTurn(payload),
      async (payload, why) => {
        await this.runner.giveUp(payload, why.reason);
        await this.leave(ticketFor(payload));
      },
    );
    this.sweeper = setInterval(() => void this.sweep(), this.config.queue.sweepMs);
    void this.backfill.runOnce();
    this.sweeper.unref();
    this.offerSlots();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    if (this.offering) clearInterval(this.offering);
    await this.turns.withdraw(this.id).catch(() => undefined); // else its slots lapse with their lease
  }

  /**
   * Tells the turns how many imports this process runs at once, and keeps telling them every third of a
   * lease: a dispatch hands out only as many turns as live workers have slots.
   */
  private offerSlots(): void {
    const slots = JOBS['run-import'].concurrency(this.config.queue);
    const offer = (first: boolean) =>
      this.turns.offer(this.id, slots, first).catch((e: unknown) => {
        this.log.warn(`could not offer this worker's slots: ${redact((e as Error).message)}`);
      });
    void offer(true);
    const every = Math.max(200, Math.floor(this.config.fairness.slotLeaseMs / 3));
    this.offering = setInterval(() => void offer(false), every);
    this.offering.unref();
  }

  /**
   * Runs one import in its workspace's slot, renewing the slot's lease meanwhile. A run that ends frees
   * the slot for the next import; one that throws keeps it until the queue's retry takes it back or the
   * lease lapses, so a retry waiting for its backoff does not let another import of the workspace in.
   */
  private async runTurn(payload: RunImportPayload): Promise<void> {
    const ticket = ticketFor(payload);
    await this.turns.renew(ticket).catch(() => undefined); // a job queued by an older release takes its slot here
    const renewEvery = Math.max(200, Math.floor(this.config.fairness.slotLeaseMs / 3));
    const renewing = setInterval(() => void this.turns.renew(ticket).catch(() => undefined), renewEvery);
    renewing.unref();
    try {
      await this.runner.run(payload);
    } catch (e) {
      // Loud: the job is retried (another setup's worker may hold the import), but this is a setup mistake.
      if (e instanceof ImportNotFound) this.log.error(e.message);
      clearInterval(renewing);
      throw e;
    }
    clearInterval(renewing);
    await this.leave(ticket);
  }

  private async leave(ticket: TurnTicket): Promise<void> {
    try {
      await this.turns.leave(ticket);
    } catch (e) {
      // The slot lapses with its lease, and the next sweep dispatches.
      this.log.warn(`import ${ticket.importId} could not free its slot: ${redact((e as Error).message)}`);
    }
  }

  /**
   * Nothing is left stuck: a queued import whose job is gone (Redis lost it, or queueing failed after
   * the import was queued) is queued again within two sweeps; a cancel whose worker died ends; a
   * running import whose heartbeat stopped and whose job is gone is failed with a reason (retry resumes);
   * an upload whose storing stopped is failed with a reason too (it is sent again).
   */
  async sweep(): Promise<void> {
    try {
      const now = this.clock.now();
      const recently = new Date(now.getTime() - this.config.queue.sweepMs);
      for (const imp of await this.sweeps.findUnattended(['queued', 'cancelling'], recently, 50)) {
        if (imp.fileStoring && imp.status === 'queued') continue; // lined up once stored (or lost)
        if (await this.jobs.isPending('run-import', imp._id)) continue;
        if (imp.status === 'cancelling') {
          await this.lifecycle.tryApply(imp.workspaceId, imp._id, 'stop', { current: imp });
          continue;
        }
        // Waiting for its workspace's turn is looking after it: touched, so the next sweeps look further.
        if (!(await this.turns.knows(ticketOf(imp)))) {
          this.log.warn(`import ${imp._id} was queued without a job: queueing it again`);
          await this.jobs.discard('run-import', imp._id);
          await this.turns.join(ticketOf(imp));
        }
        await this.imports.touch(imp.workspaceId, imp._id, 'queued', now);
      }
      const stale = new Date(now.getTime() - this.config.queue.staleImportMs);
      for (const imp of await this.sweeps.findUnattended(['running'], stale, 50)) {
        if (await this.jobs.isPending('run-import', imp._id)) continue;
        await this.runner.giveUp(
          { importId: imp._id, workspaceId: imp.workspaceId },
          'its worker stopped responding',
        );
        await this.leave(ticketOf(imp));
      }
      // Uploads whose storing process died: stored after all, or failed with the reason.
      await this.storing.sweep();
      // Slots whose worker died lapse with their lease: hand them on.
      await this.turns.dispatch();
    } catch (e) {
      this.log.warn(`stale-import sweep failed: ${redact((e as Error).message)}`);
    }
  }
}

function ticketFor({ workspaceId, importId, lane }: RunImportPayload): TurnTicket {
  return { workspaceId, importId, lane: lane ?? null };
}
