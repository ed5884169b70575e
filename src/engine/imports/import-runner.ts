import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CLOCK, Clock } from '../../core/clock';
import { KeyTable } from '../../core/dedupe/key-table';
import { readRows } from '../../core/parse/row-source';
import { compileMapping, CompiledMapping, validateRow, ValidRow } from '../../core/validate/row-validator';
import { IMPORT_NOTICES_PORT, ImportNotices } from '../queue/import-notices';
import { ImportJobHandler } from '../queue/import-queue';
import type { RunImportPayload } from '../queue/queue.constants';
import { RecordsRepository } from '../records/records.repository';
import { FileStore } from '../storage/file-store';
import { WorkspacesRepository } from '../workspaces/workspaces.repository';
import { Import, ImportCounts } from './import.schema';
import { ImportRowsRepository, RowIssue } from './import-rows.repository';
import { ImportsRepository } from './imports.repository';

type Pending =
  | { row: number; cells: string[]; skip: string }
  | { row: number; cells: string[]; skip: null; valid: ValidRow };

type Verdict = 'imported' | 'updated' | 'exists';

/**
 * Runs one import: streams the file from GridFS through parse → validate → de-duplicate → batched
 * writes, checkpointing after every batch. A retry re-reads the rows before the checkpoint only to
 * rebuild the in-file duplicate table, and resumes writing after it, so nothing is written twice.
 */
@Injectable()
export class ImportRunner implements ImportJobHandler {
  private readonly log = new Logger(ImportRunner.name);

  constructor(
    private readonly imports: ImportsRepository,
    private readonly rows: ImportRowsRepository,
    private readonly records: RecordsRepository,
    private readonly files: FileStore,
    private readonly workspaces: WorkspacesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IMPORT_NOTICES_PORT) private readonly notices: ImportNotices,
  ) {}

  async run(
    { workspaceId, importId }: RunImportPayload,
    progress: (row: number) => Promise<void>,
  ): Promise<void> {
    const imp = await this.imports.begin(workspaceId, importId, this.clock.now());
    if (!imp) return; // cancelled, finished or gone: nothing to do
    this.log.log(`import ${importId} running from row ${imp.committedRow + 1}`);
    const country =
      (await this.workspaces.find(workspaceId))?.defaultCountry ?? this.config.defaultWorkspace.country;
    const mapping = compileMapping(imp.type, imp.layout.headers.length, imp.mapping);
    const counts: ImportCounts = { ...imp.counts };
    const table = new KeyTable();
    const writes = new WritePipeline<Pending>((b) => this.commit(imp, b, counts));
    let batch: Pending[] = [];
    try {
      for await (const item of readRows(this.files.open(imp.fileId), imp.layout)) {
        if (item.kind === 'error') {
          if (item.code === 'unterminated_quote') {
            // Already counted when a resumed run's checkpoint covers it.
            if (item.row > imp.committedRow) batch.push({ row: item.row, cells: [], skip: item.message });
            break;
          }
          if (!(await writes.push(batch)) || !(await writes.drain())) return;
          await this.fail(imp, counts, { code: item.code, message: item.message, row: item.row });
          return;
        }
        const pending = this.judge(item.row, item.cells, mapping, country, table);
        if (item.row <= imp.committedRow) continue;
        batch.push(pending);
        if (batch.length >= this.config.limits.batchSize) {
          if (!(await writes.push(batch))) return;
          await progress(batch[0]!.row - 1); // the rows before this batch are committed
          batch = [];
        }
      }
      if (!(await writes.push(batch)) || !(await writes.drain())) return;
    } finally {
      // A read error must not leave a write running on its own into the next attempt.
      await writes.settle();
    }
    const done = await this.imports.transition(workspaceId, importId, ['running'], {
      $set: { status: 'completed', counts, finishedAt: this.clock.now(), heartbeatAt: this.clock.now() },
    });
    if (!done) return;
    this.log.log(`import ${importId} completed: ${JSON.stringify(counts)}`);
    await this.notices.finished(done);
  }

  async giveUp({ workspaceId, importId }: RunImportPayload, reason: string): Promise<void> {
    const imp = await this.imports.find(workspaceId, importId);
    if (!imp) return;
    const message = `The import stopped (${reason}) after row ${imp.committedRow}. Retry it to resume from there.`;
    const failed = await this.imports.transition(workspaceId, importId, ['queued', 'running'], {
      $set: {
        status: 'failed',
        error: { code: 'worker_failed', message, row: imp.committedRow + 1 },
        finishedAt: this.clock.now(),
      },
    });
    if (failed) await this.notices.finished(failed);
  }

  private judge(
    row: number,
    cells: string[],
    mapping: CompiledMapping,
    country: string,
    table: KeyTable,
  ): Pending {
    const result = validateRow(cells, mapping, country);
    if (!result.ok) return { row, cells, skip: result.reason };
    const first = table.firstRowOf(result.key, row);
    if (first !== undefined) return { row, cells, skip: `duplicate of row ${first}` };
    return { row, cells, skip: null, valid: result };
  }

  /** Writes one batch, its issues and its counts; false when the import was cancelled meanwhile. */
  private async commit(imp: Import, batch: readonly Pending[], counts: ImportCounts): Promise<boolean> {
    if (!batch.length) return true;
    // Rows skipped while reading do not depend on the database: written alongside the records.
    const known: RowIssue[] = [];
    for (const p of batch) {
      if (p.skip !== null) known.push({ row: p.row, outcome: 'skipped', reason: p.skip, cells: p.cells });
    }
    // allSettled, not all: a failure must not leave the other write running into the next attempt.
    const [written, added] = await Promise.allSettled([
      this.write(imp, batch),
      this.rows.add(imp.workspaceId, imp._id, known),
    ]);
    if (written.status === 'rejected') throw written.reason;
    if (added.status === 'rejected') throw added.reason;
    const verdicts = written.value;
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
        issues.push({ row: p.row, outcome: 'skipped', reason: 'already exists', cells: p.cells });
        continue;
      }
      counts[verdict === 'updated' ? 'updated' : 'imported']++;
      if (p.valid.warnings.length) {
        counts.flagged++;
        issues.push({ row: p.row, outcome: 'flagged', reason: p.valid.warnings.join('; '), cells: p.cells });
      }
    }
    await this.rows.add(imp.workspaceId, imp._id, issues);
    const last = batch[batch.length - 1]!.row;
    return this.imports.checkpoint(imp.workspaceId, imp._id, last, counts, this.clock.now());
  }

  /** Decides each valid row's fate against the database; the unique index is the arbiter, never a prior read. */
  private async write(imp: Import, batch: readonly Pending[]): Promise<Map<number, Verdict>> {
    const valid = batch.filter((p): p is Extract<Pending, { skip: null }> => p.skip === null);
    const verdicts = new Map<number, Verdict>();
    if (!valid.length) return verdicts;
    const byKey = new Map(valid.map((p) => [p.valid.key, p]));
    const docs = valid.map((p) => ({
      key: p.valid.key,
      fields: p.valid.fields,
      phoneE164: p.valid.phoneE164 ?? null,
      sourceRow: p.row,
    }));
    const { workspaceId, type, _id: importId } = imp;
    const now = this.clock.now();
    let contested: string[];
    if (imp.dryRun) {
      contested = [...byKey.keys()];
    } else if (imp.onDuplicate === 'skip') {
      contested = [...(await this.records.insertNew(workspaceId, type, importId, docs, now))];
    } else {
      await this.records.upsert(workspaceId, type, importId, docs, now);
      contested = [...byKey.keys()];
    }
    for (const p of valid) verdicts.set(p.row, 'imported');
    // A record this import created on an earlier attempt at this very row is ours: count it as imported.
    for (const owner of await this.records.owners(workspaceId, type, contested)) {
      const p = byKey.get(owner.key);
      if (!p) continue;
      const ours = !imp.dryRun && owner.importId === importId && owner.sourceRow === p.row;
      if (!ours) verdicts.set(p.row, imp.onDuplicate === 'update' ? 'updated' : 'exists');
    }
    return verdicts;
  }

  private async fail(
    imp: Import,
    counts: ImportCounts,
    error: { code: string; message: string; row: number },
  ) {
    const failed = await this.imports.transition(imp.workspaceId, imp._id, ['running'], {
      $set: { status: 'failed', counts, error, finishedAt: this.clock.now() },
    });
    this.log.warn(`import ${imp._id} failed at row ${error.row}: ${error.code}`);
    if (failed) await this.notices.finished(failed);
  }
}

/**
 * Overlaps reading with writing: one batch is written while the next is read and validated. Batches
 * are committed strictly in order and at most one is in flight, so each checkpoint still covers
 * exactly the rows written before it (resume after a crash stays exact).
 */
class WritePipeline<T> {
  private inFlight: Promise<boolean> = Promise.resolve(true);

  constructor(private readonly commit: (batch: T[]) => Promise<boolean>) {}

  /** Waits for the batch in flight, then starts this one; false when the run must stop (cancelled). */
  async push(batch: T[]): Promise<boolean> {
    if (!(await this.inFlight)) return false;
    if (!batch.length) return true;
    const next = this.commit(batch);
    next.catch(() => undefined); // observed by the next push, drain or settle
    this.inFlight = next;
    return true;
  }

  drain(): Promise<boolean> {
    return this.inFlight;
  }

  async settle(): Promise<void> {
    await this.inFlight.catch(() => undefined);
  }
}
