import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, Clock } from '../../../core/clock';
import { redact } from '../../../core/redact';
import { JobQueues } from '../../queue/job-queues';
import { FileStore } from '../../storage/file-store';
import type { Import } from '../../imports/import.schema';
import { ImportLifecycle } from '../../imports/import-lifecycle';
import { ImportView, toImportView } from '../../imports/import-view';
import { ImportsRepository } from '../../imports/imports.repository';
import { parseCommand } from '../shared/command';
import { ImportHistory, withAct } from '../shared/import-history';
import { ImportLine } from '../shared/import-line';
import { CancelCommand, cancelCommand } from './command';

/**
 * Cancels at once before it runs; a running import finishes the batch in flight first (cancelling).
 * An import cancelled before it ran loses its file at once: it wrote nothing, so nothing can follow
 * that reads it. One cancelled mid-run loses it to the retention sweep's next pass (it counts against
 * the workspace's storage until then).
 */
@Injectable()
export class CancelImport {
  private readonly log = new Logger(CancelImport.name);

  constructor(
    private readonly imports: ImportsRepository,
    private readonly files: FileStore,
    private readonly jobs: JobQueues,
    private readonly lifecycle: ImportLifecycle,
    private readonly history: ImportHistory,
    private readonly line: ImportLine,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: CancelCommand): Promise<ImportView> {
    const { workspaceId, importId: id, actor } = parseCommand(cancelCommand, command, 'cancel the import');
    const done = withAct(
      await this.lifecycle.apply(workspaceId, id, 'cancel'),
      await this.history.record(workspaceId, id, 'cancel', actor),
    );
    if (done.status === 'cancelled') {
      await this.jobs.discard('run-import', id).catch(() => undefined);
      await this.line.leave(done);
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
}
