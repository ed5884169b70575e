import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Readable } from 'node:stream';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CLOCK, Clock } from '../../core/clock';
import { IntakeError } from '../../core/intake-error';
import type { ByteSource } from '../../core/parse/zip-reader';
import { redact } from '../../core/redact';
import { ImportTurns } from '../queue/import-turns';
import { FileStore, SpooledFile } from '../storage/file-store';
import type { Import } from './import.schema';
import { ImportLifecycle } from './import-lifecycle';
import { ticketOf } from './import-ticket';
import { ImportsRepository } from './imports.repository';
import { ImportSweepsRepository } from './import-sweeps.repository';

import { FILE_NOT_STORED } from './import-view';

/** The code of an import that ended because its upload could not be stored. */
export { FILE_NOT_STORED };

/** Received files left on local disk longer than this belong to a process that died. */
const SPOOL_KEEP_MS = 60 * 60_000;

/** Imports whose lost upload one sweep looks at. */
const SWEEP_BATCH = 50;

/**
 * Stores uploads in the database behind the answer. An upload is received on local disk and answered
 * from there (its proposal); meanwhile this stores it in GridFS, keeping the import's heartbeat fresh.
 * A start made meanwhile queues the import, which gets its turn once the file is stored. A file that
 * cannot be stored ends its import (failed, with the reason); so does one whose storing process died,
 * found by the workers' sweep once its heartbeat is stale.
 */
@Injectable()
export class UploadStoring implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(UploadStoring.name);
  private readonly inFlight = new Map<string, { file: SpooledFile; done: Promise<void> }>();

  constructor(
    private readonly files: FileStore,
    private readonly imports: ImportsRepository,
    private readonly sweeps: ImportSweepsRepository,
    private readonly lifecycle: ImportLifecycle,
    private readonly turns: ImportTurns,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Starts storing the received file of `imp` (created with `fileStoring`); returns at once, with what
   * resolves once the file is stored or given up (its local copy gone either way).
   */
  begin(imp: Import, file: SpooledFile): Promise<void> {
    const done = this.store(imp, file).finally(() => this.inFlight.delete(imp._id));
    this.inFlight.set(imp._id, { file, done });
    return done;
  }

  /** The import's file by byte ranges: from local disk while this process is still storing it. */
  async source(imp: Import): Promise<ByteSource> {
    const here = this.inFlight.get(imp._id);
    if (here) return this.spooledThenStored(here.file);
    const now = imp.fileStoring ? await this.imports.find(imp.workspaceId, imp._id) : imp;
    if (now?.fileStoring) throw stillStoring(imp);
    return this.files.source(imp.fileId);
  }

  /** Reads the local copy; once storing has removed it, the stored file (stored by then). */
  private spooledThenStored(file: SpooledFile): ByteSource {
    const local = this.files.spooledSource(file);
    const stored = () => this.files.source(file.fileId);
    return {
      size: local.size,
      async *read(start: number, end: number): AsyncGenerator<Buffer> {
        const chunks = local.read(start, end)[Symbol.asyncIterator]();
        let first: IteratorResult<Buffer>;
        try {
          first = await chunks.next();
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
          yield* (await stored()).read(start, end);
          return;
        }
        if (first.done) return;
        try {
          yield first.value;
          // Once open, the local copy reads to its end even if it is removed meanwhile.
          for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
        } finally {
          await chunks.return?.(); // a reader that stops early closes the local file
        }
      },
    };
  }

  /** The import's whole file as a stream, once it is stored. */
  open(imp: Import): Readable {
    if (imp.fileStoring) throw stillStoring(imp);
    return this.files.open(imp.fileId);
  }

  /** Resolves once every file this process is storing is stored or given up. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inFlight.values()].map((f) => f.done));
  }

  /**
   * Removes what processes that died left on local disk: received files older than any storing can
   * take (their imports were given up by then).
   */
  async onApplicationBootstrap(): Promise<void> {
    const olderThan = Math.max(SPOOL_KEEP_MS, 2 * this.config.queue.staleImportMs);
    const removed = await this.files.sweepSpool(new Date(this.clock.now().getTime() - olderThan));
    if (removed) this.log.log(`removed ${removed} received file(s) left by a process that stopped`);
  }

  /**
   * A stopping process finishes storing what it answered for, before its database connection closes
   * (else the sweep ends those imports).
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.settled();
  }

  /**
   * Imports whose storing process stopped answering: stored after all when their file is complete in
   * the database (the process died between storing and saying so), else failed with the reason.
   */
  async sweep(): Promise<void> {
    const stale = new Date(this.clock.now().getTime() - this.config.queue.staleImportMs);
    for (const imp of await this.sweeps.findStoringSince(stale, SWEEP_BATCH)) {
      if (this.inFlight.has(imp._id)) continue;
      if (await this.files.exists(imp.fileId)) await this.markStored(imp);
      else await this.lose(imp, 'the process storing it stopped');
    }
  }

  private async store(imp: Import, file: SpooledFile): Promise<void> {
    const every = Math.max(1000, Math.floor(this.config.queue.staleImportMs / 4));
    const beat = setInterval(() => {
      this.imports.storing(imp.workspaceId, imp._id, this.clock.now()).catch(() => undefined);
    }, every);
    beat.unref();
    try {
      await this.files.persist(file);
    } catch (e) {
      clearInterval(beat);
      this.log.warn(`import ${imp._id}: its file could not be stored: ${redact((e as Error).message)}`);
      await this.lose(imp, 'the database refused it').catch(() => undefined);
      return;
    }
    clearInterval(beat);
    // When this fails too, the sweep finds the file complete and finishes the job.
    await this.markStored(imp).catch((e: Error) =>
      this.log.warn(`import ${imp._id}: stored, not yet marked: ${redact(e.message)}`),
    );
  }

  /** Marks the file stored; an import started meanwhile joins its workspace's line now. */
  private async markStored(imp: Pick<Import, '_id' | 'workspaceId' | 'fileId'>): Promise<void> {
    const now = await this.imports.stored(imp.workspaceId, imp._id, this.clock.now());
    if (!now) {
      // Given up for lost while this process was stalled: what it stored after that belongs to nothing.
      const found = await this.imports.find(imp.workspaceId, imp._id);
      if (!found || found.fileDeletedAt) await this.files.delete(imp.fileId);
      return;
    }
    // Its file was deleted while it was being stored (the import expired): delete what arrived after.
    if (now.fileDeletedAt) {
      await this.files.delete(imp.fileId);
      return;
    }
    // A start from now on lines it up itself; so does the door holding it.
    if (now.status !== 'queued' || now.held) return;
    try {
      await this.turns.join(ticketOf(now));
    } catch (e) {
      // It stays queued, and the workers' sweep lines it up.
      this.log.warn(`import ${imp._id} is stored but its job is not yet: ${redact((e as Error).message)}`);
    }
  }

  private async lose(imp: Pick<Import, '_id' | 'workspaceId' | 'fileId'>, why: string): Promise<void> {
    const ended = await this.lifecycle.tryApply(imp.workspaceId, imp._id, 'fileLost', {
      set: {
        fileStoring: false,
        fileDeletedAt: this.clock.now(),
        error: {
          code: FILE_NOT_STORED,
          message: `The file could not be stored (${why}), so nothing was imported. Send it again.`,
        },
      },
    });
    // Cancelled meanwhile (or already ended): it only stops storing.
    if (!ended) await this.imports.stored(imp.workspaceId, imp._id, this.clock.now());
    await this.files.delete(imp.fileId);
  }
}

function stillStoring(imp: Import): IntakeError {
  return new IntakeError(
    'conflict',
    `The file of import ${imp._id} is still being stored; try again in a few seconds.`,
  );
}
