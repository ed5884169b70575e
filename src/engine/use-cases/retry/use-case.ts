import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { CLOCK, Clock } from '../../../core/clock';
import { IntakeError } from '../../../core/intake-error';
import { nextStatus, refusal } from '../../../core/lifecycle/import-lifecycle';
import { JobQueues } from '../../queue/job-queues';
import { ImportLifecycle } from '../../imports/import-lifecycle';
import { ImportView, toImportView } from '../../imports/import-view';
import { ImportsRepository } from '../../imports/imports.repository';
import { parseCommand } from '../shared/command';
import { assertFileKept } from '../shared/import-file';
import { ImportHistory, withAct } from '../shared/import-history';
import { ImportLine } from '../shared/import-line';
import { RetryCommand, retryCommand } from './command';

/** A failed import resumes after its last committed row. */
@Injectable()
export class RetryImport {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly jobs: JobQueues,
    private readonly lifecycle: ImportLifecycle,
    private readonly history: ImportHistory,
    private readonly line: ImportLine,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: RetryCommand): Promise<ImportView> {
    const { workspaceId, importId: id, actor } = parseCommand(retryCommand, command, 'retry the import');
    const imp = await this.imports.get(workspaceId, id);
    if (!nextStatus(imp.status, 'retry')) throw new IntakeError('conflict', refusal(id, imp.status, 'retry'));
    assertFileKept(imp, this.config.retention.fileDays);
    await this.jobs.discard('run-import', id); // the failed job, so the same id can be queued again
    const queued = await this.lifecycle.apply(workspaceId, id, 'retry', {
      current: imp,
      where: { fileKept: true },
      set: { error: null, finishedAt: null, heartbeatAt: this.clock.now(), held: false },
    });
    const acted = withAct(queued, await this.history.record(workspaceId, id, 'retry', actor));
    await this.line.join(queued);
    return toImportView(acted);
  }
}
