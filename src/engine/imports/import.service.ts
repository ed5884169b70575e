import { Inject, Injectable, Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CLOCK, Clock, ID_GENERATOR, IdGenerator } from '../../core/clock';
import { customKeyOf, isCustomTarget, targetLabel } from '../../core/custom-field';
import { fieldDef } from '../../core/field-catalog';
import { IntakeError, isIntakeError } from '../../core/intake-error';
import { guessType } from '../../core/mapping/mapping-suggester';
import { STORED_SAMPLE_ROWS } from '../../core/parse/file-sniffer';
import { assertTable } from '../../core/parse/table-shape';
import { RecordType } from '../../core/record-type';
import { ReasonTally } from '../../core/report/report-reasons';
import type { TopReasons } from '../conversation/outcome';
import { reportHeader, reportLine } from '../../core/report/report-writer';
import { summaryHeader, summaryLine } from '../../core/report/report-summary';
import { ImportTurns } from '../queue/import-turns';
import { JobQueues } from '../queue/job-queues';
import { RecordsRepository } from '../records/records.repository';
import { RecordRestorer } from '../records/record-restorer';
import { FileStore } from '../storage/file-store';
import { LearnedMappings } from '../workspaces/learned-mappings';
import { CustomFieldsRepository } from '../workspaces/custom-fields.repository';
import { label, nextStatus, refusal } from '../../core/lifecycle/import-lifecycle';
import { fileDeletedRefusal, isExpired } from '../../core/lifecycle/retention';
import { redact } from '../../core/redact';
import { waitingReason } from '../../core/fairness/run-lane';
import { Actor, Channel, Import, ImportAct, ImportActKind, OnDuplicate, ZERO_COUNTS } from './import.schema';
import { RecordLocks } from '../queue/record-locks';
import { rollbackSentence } from '../../core/report/rollback-sentence';
import { ImportLifecycle } from './import-lifecycle';
import { CompanyDomainMatcher } from '../records/company-domain-matcher';
import { ImportRowsRepository } from './import-rows.repository';
import { ImportSummary, ImportView, START_MESSAGE, toImportSummary, toImportView } from './import-view';
import { ImportFilter, ImportsRepository } from './imports.repository';
import type { ImportBrief } from './stored-import';
import { MappingChange, applyMappingChange, retypeMapping } from './mapping-change';
import { noSheets, sniffReceived, sniffSheet } from './stored-layout';
import { ticketOf } from './import-ticket';
import { FILE_NOT_STORED, UploadStoring } from './upload-storing';
import { UploadGate, UploadPass } from './upload-gate';
import type { SpooledFile } from '../storage/file-store';

export interface UploadInput {
  fileName: string;
  type?: RecordType;
  channel: Channel;
  origin?: Record<string, unknown>;
  /** For a workbook: the sheet to read, by name or number (default: the first visible one with data). */
  sheet?: string;
  /** Refuse (not_a_table) a file that does not look like a table, before any import is kept. */
  requireTable?: boolean;
  /** How long to wait for a place among the uploads in flight before refusing (0: refuse at once). */
  waitForPlaceMs?: number;
}

export interface StartOptions {
  dryRun?: boolean;
  onDuplicate?: OnDuplicate;
  /** false: clients and leads are not linked to companies, and no company is created. */
  linkCompanies?: boolean;
  /**
   * false: the import is queued but waits for `lineUp` before it can run, so a door can say "started"
   * before the ending can be told (a worker's sweep lines it up if the door never does).
   */
  lineUp?: boolean;
  /**
   * A person asked for this start (a button, a reply, a command, a request): a real run teaches the
   * workspace its mapping once it completes. An automatic start teaches nothing.
   */
  byPerson?: boolean;
}

/** The one import service every door (HTTP, CLI, Slack, email) drives. */
@Injectable()
export class ImportService {
  private readonly log = new Logger(ImportService.name);

  constructor(
    private readonly imports: ImportsRepository,
    private readonly rows: ImportRowsRepository,
    private readonly records: RecordsRepository,
    private readonly restorer: RecordRestorer,
    private readonly domains: CompanyDomainMatcher,
    private readonly files: FileStore,
    private readonly learned: LearnedMappings,
    private readonly customFields: CustomFieldsRepository,
    private readonly jobs: JobQueues,
    private readonly turns: ImportTurns,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly lifecycle: ImportLifecycle,
    private readonly storing: UploadStoring,
    private readonly gate: UploadGate,
    private readonly locks: RecordLocks,
  ) {}

  /**
   * Receives the file, sniffs it and proposes a mapping; bad files are rejected and nothing is kept.
   * The answer does not wait for the file to be stored in the database: that goes on behind it, and a
   * start made meanwhile runs once it is done.
   */
  async upload(workspaceId: string, source: Readable, input: UploadInput): Promise<ImportView> {
    let pass: UploadPass;
    try {
      pass = await this.gate.admit(workspaceId, input.waitForPlaceMs);
    } catch (e) {
      source.destroy(); // a download or file the door opened is dropped unread
      throw e;
    }
    const fileName = safeFileName(input.fileName);
    let file: SpooledFile;
    try {
      file = await this.files.receive(workspaceId, source, fileName, pass.maxBytes, pass.overLimit);
    } catch (e) {
      await pass.release();
      throw e;
    }
    let created: Import;
    try {
      const layout = await sniffReceived(this.files, file, this.config.limits, input.sheet);
      if (input.requireTable) assertTable(fileName, layout);
      const type = input.type ?? guessType(layout.headers, layout.samples);
      const mapping = await this.learned.suggest(workspaceId, type, layout.headers, layout.samples);
      const now = this.clock.now();
      const imp: Import = {
        _id: this.ids.importId(),
        workspaceId,
        type,
        status: 'awaiting_mapping',
        channel: input.channel,
        origin: input.origin ?? {},
        fileId: file.fileId,
        fileDeletedAt: null,
        fileStoring: true,
        held: false,
        fileName,
        fileBytes: file.bytes,
        layout: { ...layout, samples: layout.samples.slice(0, STORED_SAMPLE_ROWS) },
        mapping,
        mappingVersion: 0,
        typeChosenAt: 0,
        onDuplicate: 'skip',
        linkCompanies: true,
        dryRun: false,
        counts: { ...ZERO_COUNTS },
        committedRow: 0,
        error: null,
        attempts: 0,
        createdAt: now,
        startedAt: null,
        finishedAt: null,
        heartbeatAt: now,
        rollback: null,
      };
      created = await this.imports.create(imp);
    } catch (e) {
      await this.files.discard(file);
      await pass.release();
      throw e;
    }
    await pass.created();
    void this.storing.begin(created, file).finally(() => pass.release());
    return toImportView(created);
  }

  async get(workspaceId: string, id: string): Promise<ImportView> {
    const imp = await this.imports.get(workspaceId, id);
    return { ...toImportView(imp), waiting: await this.waitingReason(imp) };
  }

  /** Why a queued import has not started yet, when its workspace's limits hold it back. */
  private async waitingReason(imp: ImportBrief): Promise<string | null> {
    if (imp.status !== 'queued') return null;
    if (imp.fileStoring) return 'waiting: its file is still being stored';
    try {
      const hold = await this.turns.hold(ticketOf(imp));
      return hold ? waitingReason({ ...hold, type: imp.type }) : null;
    } catch {
      return null; // Redis away: the status alone still says queued
    }
  }

  /** The workspace's recent imports, newest first, as summaries (a listing never loads columns). */
  async list(workspaceId: string, limit = 20, filter: ImportFilter = {}): Promise<ImportSummary[]> {
    const n = Math.min(Math.max(limit, 1), 100);
    const imps = await this.imports.list(workspaceId, n, filter);
    return Promise.all(
      imps.map(async (imp) => ({ ...toImportSummary(imp), waiting: await this.waitingReason(imp) })),
    );
  }

  /** Which door an import came from and what that door recorded about it (who shared, who started). */
  async origin(
    workspaceId: string,
    id: string,
  ): Promise<{ channel: Channel; origin: Record<string, unknown> }> {
    const imp = await this.imports.get(workspaceId, id);
    return { channel: imp.channel, origin: imp.origin ?? {} };
  }

  /**
   * Changes the type (re-suggesting for it) and/or columns while the import awaits its mapping. `at` is
   * when the person made the change (a Slack action's time, a reply's arrival; now by default): changes
   * apply in that order, however late one is handled, and concurrent changes never overwrite each other.
   */
  async changeMapping(
    workspaceId: string,
    id: string,
    type: RecordType | undefined,
    change: MappingChange,
    at: Date = this.clock.now(),
    actor?: Actor,
  ): Promise<ImportView> {
    const stamp = Number.isFinite(at.getTime()) ? at.getTime() : this.clock.now().getTime();
    for (let tries = 0; tries < 8; tries++) {
      const imp = await this.imports.get(workspaceId, id);
      if (imp.status !== 'awaiting_mapping') {
        throw new IntakeError(
          'conflict',
          `Cannot change the mapping of import ${id}: it is ${label(imp.status)} (only an import awaiting its mapping can be changed).`,
        );
      }
      let { type: nextType, mapping, typeChosenAt } = imp;
      if (type && type !== imp.type && stamp >= imp.typeChosenAt) {
        const suggestion = await this.learned.suggest(
          workspaceId,
          type,
          imp.layout.headers,
          imp.layout.samples,
        );
        mapping = retypeMapping(type, imp.mapping, suggestion, stamp);
        nextType = type;
        typeChosenAt = stamp;
      }
      mapping = applyMappingChange(nextType, mapping, change, stamp, typeChosenAt);
      const saved = await this.imports.changeMapping(workspaceId, id, imp.mappingVersion, {
        type: nextType,
        mapping,
        typeChosenAt,
      });
      if (saved) {
        const act = nextType !== imp.type ? 'change_type' : 'change_columns';
        return toImportView(withAct(saved, await this.act(workspaceId, id, act, actor)));
      }
    }
    throw new IntakeError('conflict', `The mapping of import ${id} keeps changing; try again in a moment.`);
  }

  /**
   * Reads another sheet of the workbook while the import awaits its mapping: its columns replace the
   * old ones and the mapping is suggested afresh for the import's type (changed on its own, as ever).
   */
  async chooseSheet(workspaceId: string, id: string, sheet: string, actor?: Actor): Promise<ImportView> {
    for (let tries = 0; tries < 8; tries++) {
      const imp = await this.imports.get(workspaceId, id);
      if (imp.status !== 'awaiting_mapping') {
        throw new IntakeError(
          'conflict',
          `Cannot choose the sheet of import ${id}: it is ${label(imp.status)} (only an import awaiting its mapping can change).`,
        );
      }
      if (!imp.layout.workbook) throw noSheets();
      this.assertFileKept(imp);
      const sniffed = await sniffSheet(await this.storing.source(imp), this.config.limits, sheet);
      const layout = { ...sniffed, samples: sniffed.samples.slice(0, STORED_SAMPLE_ROWS) };
      // The type stays: a door may have set it (an email address, --type) without it counting as chosen.
      const type = imp.type;
      const mapping = await this.learned.suggest(workspaceId, type, layout.headers, sniffed.samples);
      const saved = await this.imports.changeMapping(workspaceId, id, imp.mappingVersion, {
        type,
        mapping,
        typeChosenAt: imp.typeChosenAt,
        layout,
      });
      if (saved) {
        return toImportView(withAct(saved, await this.act(workspaceId, id, 'choose_sheet', actor)));
      }
    }
    throw new IntakeError('conflict', `Import ${id} keeps changing; look at it again.`);
  }

  /**
   * Validates the mapping and queues the import; a real run a person started (`byPerson`) teaches the
   * workspace its mapping once it completes. A finished dry run can be started for real.
   * The import is queued only with the very mapping that was validated: a change that lands in between
   * is validated again. Once queued, the import will run: a job that cannot be queued now is queued by
   * the worker's sweep within a minute.
   */
  async start(
    workspaceId: string,
    id: string,
    opts: StartOptions = {},
    actor?: Actor,
  ): Promise<{ message: string; import: ImportView }> {
    for (let tries = 0; tries < 8; tries++) {
      const imp = await this.imports.get(workspaceId, id);
      const wasDryRun = imp.status === 'completed' && imp.dryRun;
      const event = wasDryRun ? 'runForReal' : 'start';
      if (isExpired(imp.error))
        throw new IntakeError(
          'conflict',
          `Import ${id} expired. ${imp.error?.message} Upload the file again.`,
        );
      if (!nextStatus(imp.status, event)) throw new IntakeError('conflict', refusal(id, imp.status, event));
      this.assertFileKept(imp);
      assertStartable(imp);
      // The workspace's custom fields, bounded per type: a start that would pass the limit is refused.
      const custom = imp.mapping.flatMap((c) =>
        isCustomTarget(c.field) ? [{ key: customKeyOf(c.field), header: c.header }] : [],
      );
      await this.customFields.register(workspaceId, imp.type, custom, this.clock.now());
      if (wasDryRun) {
        // Before the move, in batches: a failure here leaves the dry run as it was, to try again.
        await this.jobs.discard('run-import', id);
        await this.rows.clear(workspaceId, id);
      }
      const now = this.clock.now();
      const queued = await this.lifecycle.tryApply(workspaceId, id, event, {
        current: imp,
        where: {
          mappingVersion: imp.mappingVersion,
          ...(wasDryRun ? { dryRun: true, fileKept: true } : {}),
        },
        set: {
          dryRun: wasDryRun ? false : (opts.dryRun ?? false),
          onDuplicate: opts.onDuplicate ?? imp.onDuplicate,
          linkCompanies: opts.linkCompanies ?? imp.linkCompanies ?? true,
          counts: { ...ZERO_COUNTS },
          committedRow: 0,
          error: null,
          heartbeatAt: now,
          startedAt: null,
          finishedAt: null,
          held: opts.lineUp === false,
          teaches: opts.byPerson === true && (wasDryRun || !opts.dryRun),
          // The door's person who started it (a Slack user id): undo from that door is theirs.
          ...(actor?.person ? { origin: { ...imp.origin, startedBy: actor.person } } : {}),
        },
      });
      if (!queued) continue; // moved or changed meanwhile: look again
      const act = wasDryRun ? 'run_for_real' : opts.dryRun ? 'dry_run' : 'start';
      const acted = withAct(queued, await this.act(workspaceId, id, act, actor));
      if (opts.lineUp !== false) await this.enqueue(queued);
      const view = { ...toImportView(acted), waiting: await this.waitingReason(queued) };
      return { message: START_MESSAGE, import: view };
    }
    throw new IntakeError('conflict', `Import ${id} keeps changing; look at it again.`);
  }

  /**
   * Starts the imports, has the door tell the person, then lets them run: the "started" answer always
   * comes before any summary, and an import is let run even when telling fails. `tell` hears which
   * started and why the others did not (their refusals, in their own words).
   */
  async startAndTell(
    workspaceId: string,
    ids: readonly string[],
    opts: Omit<StartOptions, 'lineUp'>,
    actor: Actor | undefined,
    tell: (started: ImportView[], refused: { id: string; error: IntakeError }[]) => Promise<void>,
  ): Promise<ImportView[]> {
    const started: ImportView[] = [];
    const refused: { id: string; error: IntakeError }[] = [];
    try {
      for (const id of ids) {
        try {
          started.push((await this.start(workspaceId, id, { ...opts, lineUp: false }, actor)).import);
        } catch (e) {
          if (!isIntakeError(e)) throw e;
          refused.push({ id, error: e });
        }
      }
      await tell(started, refused);
    } finally {
      for (const v of started) await this.lineUp(workspaceId, v.id);
    }
    return started;
  }

  /** Lets a queued import started with `lineUp: false` run. */
  async lineUp(workspaceId: string, id: string): Promise<void> {
    const imp = await this.imports.release(workspaceId, id);
    if (imp?.status === 'queued') await this.enqueue(imp);
  }

  /**
   * Cancels at once before it runs; a running import finishes the batch in flight first (cancelling).
   * An import cancelled before it ran loses its file at once: it wrote nothing, so nothing can follow
   * that reads it. One cancelled mid-run loses it to the retention sweep's next pass (it counts against
   * the workspace's storage until then).
   */
  async cancel(workspaceId: string, id: string, actor?: Actor): Promise<ImportView> {
    const done = withAct(
      await this.lifecycle.apply(workspaceId, id, 'cancel'),
      await this.act(workspaceId, id, 'cancel', actor),
    );
    if (done.status === 'cancelled') {
      await this.jobs.discard('run-import', id).catch(() => undefined);
      await this.turns.leave(ticketOf(done)).catch(() => undefined); // else it leaves when its turn comes
      await this.dropFile(done);
    }
    return toImportView(done);
  }

  /**
   * Marks the file deleted first, as the retention sweep does (no retry or real run can start on it),
   * then deletes it; a file still being stored is deleted once it is. When this fails the sweep does it.
   */
  private async dropFile(imp: Import): Promise<void> {
    const endedBefore = new Date((imp.finishedAt ?? this.clock.now()).getTime() + 1);
    try {
      if (await this.imports.releaseFile(imp.workspaceId, imp._id, endedBefore, this.clock.now()))
        await this.files.delete(imp.fileId);
    } catch (e) {
      this.log.warn(`import ${imp._id}: its file is left to the sweep: ${redact((e as Error).message)}`);
    }
  }

  /** A failed import resumes after its last committed row. */
  async retry(workspaceId: string, id: string, actor?: Actor): Promise<ImportView> {
    const imp = await this.imports.get(workspaceId, id);
    if (!nextStatus(imp.status, 'retry')) throw new IntakeError('conflict', refusal(id, imp.status, 'retry'));
    this.assertFileKept(imp);
    await this.jobs.discard('run-import', id); // the failed job, so the same id can be queued again
    const queued = await this.lifecycle.apply(workspaceId, id, 'retry', {
      current: imp,
      where: { fileKept: true },
      set: { error: null, finishedAt: null, heartbeatAt: this.clock.now(), held: false },
    });
    const acted = withAct(queued, await this.act(workspaceId, id, 'retry', actor));
    await this.enqueue(queued);
    return toImportView(acted);
  }

  /**
   * Restores the records the import changed (unless they changed again since) and deletes those it
   * created (unless another import changed them since). The import is rolling_back meanwhile, so nothing
   * else (a retry) can start on it; if it stops half-way it stays rolling_back, and rolling back again
   * does the rest.
   */
  async rollback(workspaceId: string, id: string, actor?: Actor): Promise<ImportView> {
    // One undo at a time: a second "undo" while the first works is told so, and changes nothing.
    return this.locks.exclusive(
      `rollback:${id}`,
      () => this.rollbackOnce(workspaceId, id, actor),
      () => {
        throw new IntakeError('already_done', `Import ${id} is being undone now; its result follows.`);
      },
    );
  }

  private async rollbackOnce(workspaceId: string, id: string, actor?: Actor): Promise<ImportView> {
    const imp = await this.imports.get(workspaceId, id);
    if (imp.dryRun)
      throw new IntakeError('conflict', 'A dry run wrote no records, so there is nothing to roll back.');
    if (imp.status === 'rolled_back' && imp.rollback)
      throw new IntakeError(
        'already_done',
        `Import ${id} was already undone: ${rollbackSentence(imp.rollback)}.`,
        { import: toImportView(imp) },
      );
    await this.lifecycle.apply(workspaceId, id, 'rollback', { current: imp, where: { dryRun: false } });
    await this.act(workspaceId, id, 'undo', actor);
    const { restored, kept } = await this.restorer.restore(workspaceId, id);
    const deleted = await this.records.deleteCreatedBy(workspaceId, imp.type, id);
    const keptCreated = await this.records.countCreatedBy(workspaceId, imp.type, id);
    const companiesDeleted =
      imp.type === 'companies' ? 0 : await this.records.deleteUnlinkedCompanies(workspaceId, id);
    // A website domain claimed for a company that is gone now belongs to nobody.
    await this.domains.releaseOrphans(workspaceId, id);
    const summary = {
      deleted: deleted + (imp.rollback?.deleted ?? 0),
      companiesDeleted,
      restored,
      kept: kept + keptCreated,
      at: this.clock.now(),
    };
    const done = await this.lifecycle.apply(workspaceId, id, 'rolledBack', { set: { rollback: summary } });
    return toImportView(done);
  }

  /** Keeps who did what, through which door, in the import's history (a lost entry loses no import). */
  async act(workspaceId: string, id: string, kind: ImportActKind, actor?: Actor): Promise<ImportAct | null> {
    if (!actor) return null;
    const act: ImportAct = { act: kind, door: actor.door, person: actor.person, at: this.clock.now() };
    try {
      await this.imports.recordAct(workspaceId, id, act);
      return act;
    } catch (e) {
      this.log.warn(`import ${id}: its history missed a ${kind}: ${redact(String(e))}`);
      return null;
    }
  }

  /** A run needs the stored file: once the retention period removed it, the person uploads it again. */
  private assertFileKept(imp: Import): void {
    if (imp.error?.code === FILE_NOT_STORED)
      throw new IntakeError('conflict', `Import ${imp._id} has no file: ${imp.error.message}`);
    if (imp.fileDeletedAt)
      throw new IntakeError('conflict', fileDeletedRefusal(imp._id, this.config.retention.fileDays));
  }

  /**
   * Puts the import in its workspace's line; it gets a job when its turn comes. When Redis refuses, the
   * import stays queued and the sweep lines it up.
   */
  private async enqueue(imp: Import): Promise<void> {
    // It joins the line once its file is stored, or once the door that holds it lets it go.
    if (imp.fileStoring || imp.held) return;
    try {
      await this.turns.join(ticketOf(imp));
    } catch (e) {
      this.log.warn(`import ${imp._id} is queued but its job is not yet: ${redact((e as Error).message)}`);
    }
  }

  /**
   * The report as CSV lines, streamed: every skipped row and every row imported with a warning. Once
   * the retention period has deleted the rows, their summary: how many rows per kind of reason.
   */
  async *report(workspaceId: string, id: string): AsyncIterable<string> {
    const imp = await this.imports.get(workspaceId, id);
    if (imp.reportSummary) {
      yield summaryHeader();
      for (const line of imp.reportSummary) yield summaryLine(line);
      return;
    }
    yield reportHeader(imp.layout.headers, imp.layout.workbook?.sheet);
    for await (const r of this.rows.stream(workspaceId, id))
      yield reportLine(r.row, r.reason, r.outcome, r.cells);
  }

  /**
   * The most frequent kinds of reason among the skipped and the flagged rows, counted over the first
   * REASON_ROWS of them (`sampled` when there were more), so a summary costs bounded work.
   */
  async topReasons(workspaceId: string, id: string, n = 3): Promise<TopReasons> {
    const skipped = new ReasonTally();
    const flagged = new ReasonTally();
    let rows = 0;
    for await (const r of this.rows.reasons(workspaceId, id, REASON_ROWS)) {
      // A skipped row counts once (its first reason), so the reasons add up to the skipped rows.
      if (r.outcome === 'flagged') flagged.add(r.reason);
      else skipped.add(r.reason, true);
      rows++;
    }
    return { skipped: skipped.top(n), flagged: flagged.top(n), sampled: rows >= REASON_ROWS };
  }
}

/** Rows read to count the top reasons of a summary. */
const REASON_ROWS = 100_000;

export type { TopReasons };

/** The import as the turns know it. */
/** Refuses a start while a required field is unmapped or two columns claim one field. */
function assertStartable(imp: Import): void {
  const view = toImportView(imp);
  if (view.missingRequired.length) {
    const labels = view.missingRequired.map((k) => fieldDef(k).label).join(', ');
    throw new IntakeError(
      'missing_required',
      `Required field${view.missingRequired.length > 1 ? 's' : ''} not mapped: ${labels}. ` +
        `Map a column to ${view.missingRequired.length > 1 ? 'them' : 'it'}.`,
      { missingRequired: view.missingRequired, type: imp.type },
    );
  }
  const c = view.conflicts[0];
  if (c) {
    const headers = c.columns.map((i) => `"${imp.mapping[i]?.header}"`).join(' and ');
    throw new IntakeError(
      'invalid_mapping',
      `${headers} are both mapped to ${targetLabel(c.field)}. Choose one.`,
    );
  }
}

/** The import as it is once `act` is in its history (recorded after the change it follows). */
function withAct(imp: Import, act: ImportAct | null): Import {
  return act ? { ...imp, history: [...(imp.history ?? []), act] } : imp;
}

/** Keeps a file name printable: no path parts, NUL or line breaks. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';

  const clean = base
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200);
  return clean || 'upload.csv';
}
