import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CLOCK, Clock } from '../../core/clock';
import { readRows, SourceRow } from '../../core/parse/row-source';
import { readWorkbookRows } from '../../core/parse/workbook-source';
import { clipText } from '../../core/report/report-cells';
import { reportColumnsIn } from '../../core/report/report-roundtrip';
import { compileMapping } from '../../core/validate/row-validator';
import type { ImportStatus } from '../../core/lifecycle/import-lifecycle';
import { IMPORT_EVENTS_PORT, ImportEvents } from '../queue/import-events';
import { ImportLifecycle } from './import-lifecycle';
import type { RunImportPayload } from '../queue/job-catalogue';
import { BatchWriter } from './batch-writer';
import { RunCompanies } from '../records/run-companies';
import { FileStore } from '../storage/file-store';
import { WorkspacesRepository } from '../workspaces/workspaces.repository';
import { LearnedMappings } from '../workspaces/learned-mappings';
import { Import, ImportCounts, ZERO_COUNTS } from './import.schema';
import { ImportRowsRepository, RowIssue } from './import-rows.repository';
import { ImportsRepository } from './imports.repository';
import { charsOfPending, Pending, RowJudge } from './row-judge';
import { WritePipeline } from './write-pipeline';

/** Progress is said at most this often per import (followers edit messages at their own pace). */
const PROGRESS_EVERY_MS = 500;

/**
 * Runs one import: streams the file from GridFS through parse → validate → de-duplicate → batched
 * writes, checkpointing after every batch. A retry re-reads the rows before the checkpoint only to
 * rebuild the in-file duplicate table, and resumes writing after it, so nothing is written twice.
 */
@Injectable()
export class ImportRunner {
  private readonly log = new Logger(ImportRunner.name);

  constructor(
    private readonly imports: ImportsRepository,
    private readonly rows: ImportRowsRepository,
    private readonly writer: BatchWriter,
    private readonly files: FileStore,
    private readonly workspaces: WorkspacesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IMPORT_EVENTS_PORT) private readonly events: ImportEvents,
    private readonly lifecycle: ImportLifecycle,
    private readonly learned: LearnedMappings,
  ) {}

  async run({ workspaceId, importId }: RunImportPayload): Promise<void> {
    const found = await this.imports.find(workspaceId, importId);
    if (!found) throw new ImportNotFound(importId, this.config.mongoDatabase);
    // A cancel waiting on a worker that died: nothing is in flight any more, so it ends here.
    if (found.status === 'cancelling') {
      await this.lifecycle.tryApply(workspaceId, importId, 'stop', { current: found });
      return;
    }
    // Its file is still being stored: the import joins the line again once it is.
    if (found.fileStoring) return;
    const now = this.clock.now();
    const imp = await this.lifecycle.tryApply(workspaceId, importId, 'begin', {
      current: found,
      set: { heartbeatAt: now, startedAt: found.startedAt ?? now },
      inc: { attempts: 1 },
    });
    if (!imp) return; // cancelled, finished or rolled back: nothing to do
    this.log.log(`import ${importId} running from row ${imp.committedRow + 1}`);
    const country =
      (await this.workspaces.find(workspaceId))?.defaultCountry ?? this.config.defaultWorkspace.country;
    const fromReport = reportColumnsIn(imp.layout.headers) > 0;
    const mapping = compileMapping(imp.type, imp.layout.headers.length, imp.mapping, fromReport);
    const counts: ImportCounts = { ...ZERO_COUNTS, ...imp.counts };
    const judge = new RowJudge(imp.type, mapping, country, this.config.limits.report);
    const companies = new RunCompanies(); // company ids read, and a dry run's would-be companies
    const progress = new ProgressPublisher(this.events, imp, this.clock);
    const writes = new WritePipeline<Pending>(async (b) => {
      const stop = await this.commit(imp, b, counts, companies);
      if (!stop || stop === 'cancelling') progress.committed(b[b.length - 1]!.row, counts, stop ?? 'running');
      return stop;
    });
    const { batchSize, batchMaxBytes } = this.config.limits;
    let batch: Pending[] = [];
    let batchChars = 0;
    let stopped: ImportStatus | null | undefined;
    try {
      for await (const item of await this.rowsOf(imp)) {
        if (item.kind === 'error') {
          if (item.code === 'unterminated_quote') {
            // Already counted when a resumed run's checkpoint covers it.
            if (item.row > imp.committedRow) batch.push({ row: item.row, cells: [], skip: item.message });
            break;
          }
          stopped = (await writes.push(batch)) ?? (await writes.drain());
          if (stopped) break;
          await this.end(imp, 'fail', {
            counts,
            error: { code: item.code, message: item.message, row: item.row },
          });
          this.log.warn(`import ${importId} failed at row ${item.row}: ${item.code}`);
          return;
        }
        const pending =
          item.kind === 'oversize'
            ? judge.skipped(item.row, item.cells, item.reason)
            : judge.verdict(item.row, item.cells);
        if (item.row <= imp.committedRow) continue;
        batch.push(pending);
        batchChars += charsOfPending(pending);
        // Bounded by size as well as rows: a batch of long rows is written early.
        if (batch.length >= batchSize || batchChars >= batchMaxBytes) {
          stopped = await writes.push(batch);
          if (stopped) break;
          batch = [];
          batchChars = 0;
        }
      }
      stopped ??= (await writes.push(batch)) ?? (await writes.drain());
    } finally {
      // A read error must not leave a write running on its own into the next attempt.
      await writes.settle();
    }
    if (stopped === 'cancelling') {
      await this.end(imp, 'stop', {});
      return;
    }
    if (stopped !== undefined) return; // no longer running (failed or finished elsewhere)
    // Learned once every row went through, before anyone is told it completed (so the next file the
    // person sends is suggested from it): a run cancelled or failed midway teaches nothing.
    await this.learned
      .learnFrom(imp, this.clock.now())
      .catch((e: Error) => this.log.warn(`import ${importId}: its mapping was not learned: ${e.name}`));
    // A cancel that came after the last batch still ends the import cancelled, as the person asked.
    const done = await this.end(imp, 'complete', { counts, heartbeatAt: this.clock.now() });
    if (done) this.log.log(`import ${importId} completed: ${JSON.stringify(counts)}`);
    else await this.end(imp, 'stop', {});
  }

  /** The file's data rows: a workbook's chosen sheet, or the CSV text. */
  private async rowsOf(imp: Import): Promise<AsyncGenerator<SourceRow>> {
    const { rows, workbook } = this.config.limits;
    if (!imp.layout.workbook) return readRows(this.files.open(imp.fileId), imp.layout, rows);
    return readWorkbookRows(await this.files.source(imp.fileId), imp.layout, rows, workbook);
  }

  async giveUp({ workspaceId, importId }: RunImportPayload, reason: string): Promise<void> {
    const imp = await this.imports.find(workspaceId, importId);
    if (!imp) return;
    const message = `The import stopped (${reason}) after row ${imp.committedRow}. Retry it to resume from there.`;
    await this.end(imp, 'fail', { error: { code: 'worker_failed', message, row: imp.committedRow + 1 } });
  }

  private end(imp: Import, event: 'complete' | 'fail' | 'stop', set: Partial<Import>) {
    return this.lifecycle.tryApply(imp.workspaceId, imp._id, event, { set });
  }

  /**
   * Writes one batch, its issues and its counts. Returns null while the import runs on, or the state that
   * stops it: `cancelling` (a cancel waited for this batch) or another state when it no longer runs.
   */
  private async commit(
    imp: Import,
    batch: readonly Pending[],
    counts: ImportCounts,
    companies: RunCompanies,
  ): Promise<ImportStatus | null> {
    if (!batch.length) return null;
    // Rows skipped while reading do not depend on the database: written alongside the records.
    const known: RowIssue[] = [];
    for (const p of batch) {
      if (p.skip !== null) known.push({ row: p.row, outcome: 'skipped', reason: p.skip, cells: p.cells });
    }
    // allSettled, not all: a failure must not leave the other write running into the next attempt.
    const [written, added] = await Promise.allSettled([
      this.writer.write(
        imp,
        batch.filter((p): p is Extract<Pending, { skip: null }> => p.skip === null),
        companies,
      ),
      this.rows.add(imp.workspaceId, imp._id, known),
    ]);
    if (written.status === 'rejected') throw written.reason;
    if (added.status === 'rejected') throw added.reason;
    const { verdicts, reasons, companiesCreated, linked } = written.value;
    if (companiesCreated) counts.companiesCreated = (counts.companiesCreated ?? 0) + companiesCreated;
    const issues: RowIssue[] = [];
    for (const p of batch) {
      counts.total++;
      if (p.skip !== null) {
        counts.skipped++;
        continue;
      }
      const verdict = verdicts.get(p.row);
      if (verdict === 'exists') {
        counts.skipped++;
        if (!reasons.has(p.row)) counts.existing = (counts.existing ?? 0) + 1;
        const reason = clipText(reasons.get(p.row) ?? 'already exists', this.config.limits.report.rowChars);
        issues.push({ row: p.row, outcome: 'skipped', reason, cells: p.cells });
        continue;
      }
      counts[verdict ?? 'imported']++;
      if (linked.has(p.row)) counts.companiesLinked = (counts.companiesLinked ?? 0) + 1;
      if (p.valid.warnings.length) {
        counts.flagged++;
        const reason = clipText(p.valid.warnings.join('; '), this.config.limits.report.rowChars);
        issues.push({ row: p.row, outcome: 'flagged', reason, cells: p.cells });
      }
    }
    await this.rows.add(imp.workspaceId, imp._id, issues);
    const last = batch[batch.length - 1]!.row;
    const found = await this.imports.checkpoint(imp.workspaceId, imp._id, last, counts, this.clock.now());
    return found === 'running' ? null : (found ?? 'failed');
  }
}

/** Progress events after committed batches, at most one per PROGRESS_EVERY_MS per import. */
class ProgressPublisher {
  private last = 0;

  constructor(
    private readonly events: ImportEvents,
    private readonly imp: Import,
    private readonly clock: Clock,
  ) {}

  committed(row: number, counts: ImportCounts, status: 'running' | 'cancelling'): void {
    const at = this.clock.now().getTime();
    if (at - this.last < PROGRESS_EVERY_MS) return;
    this.last = at;
    const { _id: importId, workspaceId } = this.imp;
    void this.events.publish({
      kind: 'progress',
      importId,
      workspaceId,
      status,
      committedRow: row,
      counts: { ...counts },
      at,
    });
  }
}

/** A job names an import this database does not hold: said loudly, because it is a setup mistake. */
export class ImportNotFound extends Error {
  constructor(importId: string, database: string) {
    super(
      `import ${importId} is not in database "${database}". Another Intake setup with another ` +
        'database may share this Redis and queue prefix: give each setup its own INTAKE_QUEUE_PREFIX (the ' +
        'default includes the database name), and check MONGODB_URI.',
    );
    this.name = 'ImportNotFound';
  }
}
