import { Inject, Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CLOCK, Clock, ID_GENERATOR, IdGenerator } from '../../core/clock';
import { fieldDef } from '../../core/field-catalog';
import { IntakeError } from '../../core/intake-error';
import { guessType, suggestMapping } from '../../core/mapping/mapping-suggester';
import { sniffLayout } from '../../core/parse/file-sniffer';
import { RecordType } from '../../core/record-type';
import { reportHeader, reportLine } from '../../core/report/report-writer';
import { IMPORT_NOTICES_PORT, ImportNotices } from '../queue/import-notices';
import { IMPORT_QUEUE_PORT, ImportQueue } from '../queue/import-queue';
import { RecordsRepository } from '../records/records.repository';
import { FileStore } from '../storage/file-store';
import { MappingMemoryRepository } from '../workspaces/mapping-memory.repository';
import { Channel, Import, ImportStatus, OnDuplicate, ZERO_COUNTS } from './import.schema';
import { ImportRowsRepository } from './import-rows.repository';
import { ImportView, START_MESSAGE, toImportView } from './import-view';
import { ImportsRepository } from './imports.repository';
import { MappingChange, applyMappingChange } from './mapping-change';

export interface UploadInput {
  fileName: string;
  type?: RecordType;
  channel: Channel;
  origin?: Record<string, unknown>;
}

export interface StartOptions {
  dryRun?: boolean;
  onDuplicate?: OnDuplicate;
}

const ROLLBACKABLE: readonly ImportStatus[] = ['completed', 'failed', 'cancelled'];

/** The one import service every door (HTTP, CLI, Slack, email) drives. */
@Injectable()
export class ImportService {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly rows: ImportRowsRepository,
    private readonly records: RecordsRepository,
    private readonly files: FileStore,
    private readonly memory: MappingMemoryRepository,
    @Inject(IMPORT_QUEUE_PORT) private readonly queue: ImportQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(IMPORT_NOTICES_PORT) private readonly notices: ImportNotices,
  ) {}

  /** Stores the file, sniffs it and proposes a mapping; bad files are rejected and nothing is kept. */
  async upload(workspaceId: string, source: Readable, input: UploadInput): Promise<ImportView> {
    const fileName = safeFileName(input.fileName);
    const file = await this.files.save(workspaceId, source, fileName, this.config.limits.maxFileBytes);
    try {
      const layout = sniffLayout(file.head, {
        utf8Valid: file.utf8Valid,
        truncated: file.bytes > file.head.length,
      });
      const type = input.type ?? guessType(layout.headers, layout.samples);
      const mapping = suggestMapping(
        type,
        layout.headers,
        layout.samples,
        await this.memory.learned(workspaceId, type),
      );
      const now = this.clock.now();
      const imp: Import = {
        _id: this.ids.importId(),
        workspaceId,
        type,
        status: 'awaiting_mapping',
        channel: input.channel,
        origin: input.origin ?? {},
        fileId: file.fileId,
        fileName,
        fileBytes: file.bytes,
        layout: { ...layout },
        mapping,
        onDuplicate: 'skip',
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
      return toImportView(await this.imports.create(imp));
    } catch (e) {
      await this.files.delete(file.fileId);
      throw e;
    }
  }

  async get(workspaceId: string, id: string): Promise<ImportView> {
    return toImportView(await this.load(workspaceId, id));
  }

  async list(workspaceId: string, limit = 20): Promise<ImportView[]> {
    return (await this.imports.list(workspaceId, Math.min(Math.max(limit, 1), 100))).map(toImportView);
  }

  /** Changes the type (re-suggesting for it) and/or columns while the import awaits its mapping. */
  async changeMapping(workspaceId: string, id: string, type: RecordType | undefined, change: MappingChange) {
    const imp = await this.load(workspaceId, id);
    this.expectStatus(imp, ['awaiting_mapping'], 'change the mapping of');
    let mapping = imp.mapping;
    if (type && type !== imp.type) {
      const learned = await this.memory.learned(workspaceId, type);
      mapping = suggestMapping(type, imp.layout.headers, imp.layout.samples, learned);
    }
    const nextType = type ?? imp.type;
    mapping = applyMappingChange(nextType, mapping, change);
    const updated = await this.imports.transition(workspaceId, id, ['awaiting_mapping'], {
      $set: { type: nextType, mapping },
    });
    return toImportView(updated ?? (await this.load(workspaceId, id)));
  }

  /** Validates the mapping, learns it, and queues the import. A finished dry run can be started for real. */
  async start(
    workspaceId: string,
    id: string,
    opts: StartOptions = {},
  ): Promise<{ message: string; import: ImportView }> {
    const imp = await this.load(workspaceId, id);
    const view = toImportView(imp);
    const wasDryRun = imp.status === 'completed' && imp.dryRun;
    if (!wasDryRun) this.expectStatus(imp, ['awaiting_mapping'], 'start');
    if (view.missingRequired.length) {
      const labels = view.missingRequired.map((k) => fieldDef(k).label).join(', ');
      throw new IntakeError(
        'missing_required',
        `Required field${view.missingRequired.length > 1 ? 's' : ''} not mapped: ${labels}. ` +
          `Map a column to ${view.missingRequired.length > 1 ? 'them' : 'it'}, or start from the sample template (intake template ${imp.type}).`,
        { missingRequired: view.missingRequired },
      );
    }
    if (view.conflicts.length) {
      const c = view.conflicts[0]!;
      const headers = c.columns.map((i) => `"${imp.mapping[i]?.header}"`).join(' and ');
      throw new IntakeError(
        'invalid_mapping',
        `${headers} are both mapped to ${fieldDef(c.field).label}. Choose one.`,
      );
    }
    const dryRun = wasDryRun ? false : (opts.dryRun ?? false);
    const now = this.clock.now();
    if (wasDryRun) await this.queue.discard(id);
    const queued = await this.imports.transition(
      workspaceId,
      id,
      [wasDryRun ? 'completed' : 'awaiting_mapping'],
      {
        $set: {
          status: 'queued',
          dryRun,
          onDuplicate: opts.onDuplicate ?? imp.onDuplicate,
          counts: { ...ZERO_COUNTS },
          committedRow: 0,
          error: null,
          heartbeatAt: now,
          startedAt: null,
          finishedAt: null,
        },
      },
    );
    if (!queued)
      throw new IntakeError('conflict', 'This import was started or changed by someone else just now.');
    if (wasDryRun) await this.rows.clear(workspaceId, id);
    await this.memory.remember(workspaceId, imp.type, imp.mapping, now);
    await this.queue.enqueue({ importId: id, workspaceId });
    return { message: START_MESSAGE, import: toImportView(queued) };
  }

  async cancel(workspaceId: string, id: string): Promise<ImportView> {
    const imp = await this.load(workspaceId, id);
    this.expectStatus(imp, ['awaiting_mapping', 'queued', 'running'], 'cancel');
    const now = this.clock.now();
    const done = await this.imports.transition(workspaceId, id, ['awaiting_mapping', 'queued', 'running'], {
      $set: { status: 'cancelled', finishedAt: now },
    });
    if (imp.status !== 'running') await this.queue.discard(id);
    if (done) await this.notices.finished(done);
    return toImportView(done ?? (await this.load(workspaceId, id)));
  }

  /** A failed import resumes after its last committed row. */
  async retry(workspaceId: string, id: string): Promise<ImportView> {
    const imp = await this.load(workspaceId, id);
    this.expectStatus(imp, ['failed'], 'retry');
    await this.queue.discard(id);
    const queued = await this.imports.transition(workspaceId, id, ['failed'], {
      $set: { status: 'queued', error: null, finishedAt: null, heartbeatAt: this.clock.now() },
    });
    if (!queued) throw new IntakeError('conflict', 'This import changed just now; look at its status again.');
    await this.queue.enqueue({ importId: id, workspaceId });
    return toImportView(queued);
  }

  /** Deletes every record the import created; records it updated stay as they are now. */
  async rollback(workspaceId: string, id: string): Promise<ImportView> {
    const imp = await this.load(workspaceId, id);
    this.expectStatus(imp, ROLLBACKABLE, 'roll back');
    if (imp.dryRun)
      throw new IntakeError('conflict', 'A dry run wrote no records, so there is nothing to roll back.');
    const deleted = await this.records.deleteCreatedBy(workspaceId, id);
    const done = await this.imports.transition(workspaceId, id, ROLLBACKABLE, {
      $set: { status: 'rolled_back', rollback: { deleted, at: this.clock.now() } },
    });
    return toImportView(done ?? (await this.load(workspaceId, id)));
  }

  /** The skipped-rows report as CSV lines, streamed. */
  async *report(workspaceId: string, id: string): AsyncIterable<string> {
    const imp = await this.load(workspaceId, id);
    yield reportHeader(imp.layout.headers);
    for await (const r of this.rows.stream(workspaceId, id, 'skipped'))
      yield reportLine(r.row, r.reason, r.cells);
  }

  private async load(workspaceId: string, id: string): Promise<Import> {
    const imp = await this.imports.find(workspaceId, id);
    if (!imp) throw new IntakeError('not_found', `No import "${id}" in this workspace.`);
    return imp;
  }

  private expectStatus(imp: Import, allowed: readonly ImportStatus[], action: string): void {
    if (!allowed.includes(imp.status)) {
      throw new IntakeError(
        'conflict',
        `Cannot ${action} import ${imp._id}: it is ${imp.status.replace('_', ' ')}.`,
      );
    }
  }
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
