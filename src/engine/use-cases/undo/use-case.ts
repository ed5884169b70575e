import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../../../core/clock';
import { IntakeError } from '../../../core/intake-error';
import { rollbackSentence } from '../../../core/report/rollback-sentence';
import { RecordLocks } from '../../queue/record-locks';
import { CompanyDomainMatcher } from '../../records/company-domain-matcher';
import { RecordRestorer } from '../../records/record-restorer';
import { RecordsRepository } from '../../records/records.repository';
import { ImportLifecycle } from '../../imports/import-lifecycle';
import { ImportView, toImportView } from '../../imports/import-view';
import { ImportsRepository } from '../../imports/imports.repository';
import { ImportCommand, parseCommand } from '../shared/command';
import { ImportHistory } from '../shared/import-history';
import { UndoCommand, undoCommand } from './command';

/**
 * Restores the records the import changed (unless they changed again since) and deletes those it
 * created (unless another import changed them since). The import is rolling_back meanwhile, so nothing
 * else (a retry) can start on it; if it stops half-way it stays rolling_back, and undoing again does
 * the rest. An undo already done, or under way, is answered `already_done` and changes nothing.
 */
@Injectable()
export class UndoImport {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly records: RecordsRepository,
    private readonly restorer: RecordRestorer,
    private readonly domains: CompanyDomainMatcher,
    private readonly lifecycle: ImportLifecycle,
    private readonly history: ImportHistory,
    private readonly locks: RecordLocks,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: UndoCommand): Promise<ImportView> {
    const c = parseCommand(undoCommand, command, 'undo the import');
    // One undo at a time: a second "undo" while the first works is told so, and changes nothing.
    return this.locks.exclusive(
      `rollback:${c.importId}`,
      () => this.undoOnce(c),
      () => {
        throw new IntakeError(
          'already_done',
          `Import ${c.importId} is being undone now; its result follows.`,
        );
      },
    );
  }

  private async undoOnce({ workspaceId, importId: id, actor }: ImportCommand): Promise<ImportView> {
    const imp = await this.imports.get(workspaceId, id);
    if (imp.dryRun)
      throw new IntakeError('conflict', 'A dry run wrote no records, so there is nothing to roll back.');
    if (imp.status === 'rolled_back' && imp.rollback)
      throw new IntakeError(
        'already_done',
        `Import ${id} was already undone: ${rollbackSentence(imp.rollback)}.`,
        {
          import: toImportView(imp),
        },
      );
    await this.lifecycle.apply(workspaceId, id, 'rollback', { current: imp, where: { dryRun: false } });
    await this.history.record(workspaceId, id, 'undo', actor);
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
    return toImportView(
      await this.lifecycle.apply(workspaceId, id, 'rolledBack', { set: { rollback: summary } }),
    );
  }
}
