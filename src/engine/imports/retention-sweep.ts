import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CLOCK, Clock } from '../../core/clock';
import {
  daysBefore,
  EXPIRED,
  expiryReason,
  RetentionCounts,
  retentionSummary,
} from '../../core/lifecycle/retention';
import { redact } from '../../core/redact';
import { FileStore } from '../storage/file-store';
import { MappingMemoryRepository } from '../workspaces/mapping-memory.repository';
import type { ImportStatus } from '../../core/lifecycle/import-lifecycle';
import { ReportSummaryTally } from '../../core/report/report-summary';
import type { Import } from './import.schema';
import { ImportRowsRepository } from './import-rows.repository';
import { ImportLifecycle } from './import-lifecycle';
import { ImportsRepository } from './imports.repository';
import { ImportSweepsRepository } from './import-sweeps.repository';

/** Imports looked at per query. */
const BATCH = 100;
/** Batches per kind of work per sweep, so one sweep ends; the next one carries on. */
const MAX_BATCHES = 50;
/** Report rows deleted per round trip. */
const ROWS_BATCH = 1000;

/**
 * Forgets what Intake no longer needs, on every worker: expires imports nobody confirmed, deletes the
 * stored files of cancelled imports and of imports that ended long ago, summarises and deletes those
 * imports' report rows, and trims learned mappings. Every step is a conditional
 * update, so workers sweeping at once each do a share and nothing twice (one expiry, one notice).
 */
@Injectable()
export class RetentionSweep implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Retention');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly imports: ImportsRepository,
    private readonly sweeps: ImportSweepsRepository,
    private readonly lifecycle: ImportLifecycle,
    private readonly files: FileStore,
    private readonly memory: MappingMemoryRepository,
    private readonly rows: ImportRowsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), this.config.retention.sweepMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One sweep, logged; never throws (the next sweep tries again). */
  async run(): Promise<void> {
    try {
      const counts = await this.sweep();
      if (counts.filesDeleted || counts.importsExpired || counts.mappingsDropped || counts.reportRowsDeleted)
        this.log.log(retentionSummary(counts));
    } catch (e) {
      this.log.warn(`retention sweep failed: ${redact((e as Error).message)}`);
    }
  }

  /** What this sweep did itself (another worker's share is not counted here). */
  async sweep(): Promise<RetentionCounts> {
    const expiry = await this.expireWaiting();
    const filesDeleted =
      expiry.filesDeleted + (await this.deleteCancelledFiles()) + (await this.deleteEndedFiles());
    const reportRowsDeleted = await this.summariseEndedReports();
    const mappingsDropped = await this.trimLearned();
    return { filesDeleted, importsExpired: expiry.expired, mappingsDropped, reportRowsDeleted };
  }

  /** Imports still waiting for a mapping after the TTL end (cancelled, with the reason), and lose their file. */
  private async expireWaiting(): Promise<{ expired: number; filesDeleted: number }> {
    const days = this.config.retention.awaitingMappingDays;
    const before = daysBefore(this.clock.now(), days);
    const error = { code: EXPIRED, message: expiryReason(days) };
    let expired = 0;
    let filesDeleted = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const waiting = await this.sweeps.findAwaitingSince(before, BATCH);
      for (const imp of waiting) {
        // The lifecycle's conditional move decides: of two sweeps, or a sweep and a start, one wins.
        const ended = await this.lifecycle.tryApply(imp.workspaceId, imp._id, 'expire', {
          current: imp,
          set: { error },
        });
        if (!ended) continue;
        expired++;
        const endedBy = new Date((ended.finishedAt ?? this.clock.now()).getTime() + 1);
        if (await this.deleteFile(ended, endedBy)) filesDeleted++;
      }
      if (waiting.length < BATCH) break;
    }
    return { expired, filesDeleted };
  }

  /** Settled imports that ended more than the retention period ago keep their listing and report, not their file. */
  private deleteEndedFiles(): Promise<number> {
    return this.deleteFilesEndedBefore(daysBefore(this.clock.now(), this.config.retention.fileDays));
  }

  /**
   * A cancelled import never reads its file again: the cancel deletes it at once, and this catches
   * any the cancel could not delete.
   */
  private deleteCancelledFiles(): Promise<number> {
    return this.deleteFilesEndedBefore(this.clock.now(), ['cancelled']);
  }

  private async deleteFilesEndedBefore(before: Date, statuses?: readonly ImportStatus[]): Promise<number> {
    let deleted = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const due = await this.sweeps.findHoldingFiles(before, BATCH, statuses);
      for (const imp of due) if (await this.deleteFile(imp, before)) deleted++;
      if (due.length < BATCH) break;
    }
    return deleted;
  }

  /**
   * The report rows of imports that ended more than the retention period ago: counted per kind of
   * reason into the report's summary (which stays downloadable), then deleted, at most
   * MAX_BATCHES × ROWS_BATCH rows per sweep; the next sweep carries on.
   */
  private async summariseEndedReports(): Promise<number> {
    const before = daysBefore(this.clock.now(), this.config.retention.fileDays);
    let budget = MAX_BATCHES;
    let deleted = 0;
    while (budget > 0) {
      const due = await this.sweeps.findHoldingReportRows(before, BATCH);
      for (const imp of due) {
        if (!imp.reportSummary) await this.summarise(imp);
        for (let n = ROWS_BATCH; n === ROWS_BATCH && budget > 0; budget--) {
          n = await this.rows.deleteSome(imp.workspaceId, imp._id, ROWS_BATCH);
          deleted += n;
          if (n < ROWS_BATCH)
            await this.imports.reportRowsDeleted(imp.workspaceId, imp._id, this.clock.now());
        }
        if (budget <= 0) break;
      }
      if (due.length < BATCH) break;
    }
    return deleted;
  }

  private async summarise(imp: Pick<Import, '_id' | 'workspaceId'>): Promise<void> {
    const tally = new ReportSummaryTally();
    for await (const r of this.rows.allReasons(imp.workspaceId, imp._id)) tally.add(r.outcome, r.reason);
    await this.imports.summariseReport(imp.workspaceId, imp._id, tally.lines());
  }

  /** Marks the file deleted first (so no retry can start on it), then deletes it; true for the one who marked it. */
  private async deleteFile(
    imp: Pick<Import, '_id' | 'workspaceId' | 'fileId'>,
    endedBefore: Date,
  ): Promise<boolean> {
    const mine = await this.imports.releaseFile(imp.workspaceId, imp._id, endedBefore, this.clock.now());
    if (mine) await this.files.delete(imp.fileId);
    return mine;
  }

  private async trimLearned(): Promise<number> {
    let dropped = 0;
    for (const { workspaceId, type } of await this.memory.learners())
      dropped += await this.memory.trim(workspaceId, type, this.config.retention.learnedMappingsMax);
    return dropped;
  }
}
