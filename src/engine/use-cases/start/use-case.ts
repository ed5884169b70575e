import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { CLOCK, Clock } from '../../../core/clock';
import { customKeyOf, isCustomTarget } from '../../../core/custom-field';
import { IntakeError, isIntakeError } from '../../../core/intake-error';
import { nextStatus, refusal } from '../../../core/lifecycle/import-lifecycle';
import { isExpired } from '../../../core/lifecycle/retention';
import { JobQueues } from '../../queue/job-queues';
import { CustomFieldsRepository } from '../../workspaces/custom-fields.repository';
import { ZERO_COUNTS } from '../../imports/import.schema';
import { ImportLifecycle } from '../../imports/import-lifecycle';
import { ImportRowsRepository } from '../../imports/import-rows.repository';
import { ImportView, START_MESSAGE, toImportView } from '../../imports/import-view';
import { ImportsRepository } from '../../imports/imports.repository';
import { parseCommand } from '../shared/command';
import { assertFileKept } from '../shared/import-file';
import { ImportHistory, withAct } from '../shared/import-history';
import { ImportLine } from '../shared/import-line';
import { StartCommand, startCommand, StartManyCommand, startManyCommand } from './command';
import { assertStartable } from './startable';

type Start = ReturnType<typeof startCommand.parse>;

/** What the door tells the person: the imports that started, and why the others did not (in their words). */
export type TellStarted = (
  started: ImportView[],
  refused: { id: string; error: IntakeError }[],
) => Promise<void>;

/**
 * Validates the mapping and queues the import; a real run a person started (`byPerson`) teaches the
 * workspace its mapping once it completes. A finished dry run is started for real. The import is queued
 * only with the very mapping that was validated: a change that lands in between is validated again.
 * Once queued, the import will run: a job that cannot be queued now is queued by the worker's sweep.
 */
@Injectable()
export class StartImport {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly rows: ImportRowsRepository,
    private readonly customFields: CustomFieldsRepository,
    private readonly jobs: JobQueues,
    private readonly lifecycle: ImportLifecycle,
    private readonly history: ImportHistory,
    private readonly line: ImportLine,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: StartCommand): Promise<{ message: string; import: ImportView }> {
    const view = await this.start(parseCommand(startCommand, command, 'start the import'), false);
    return { message: START_MESSAGE, import: view };
  }

  /**
   * Starts the imports held, has the door tell the person, then lets them run: the "started" answer
   * always comes before any summary, and an import is let run even when telling fails (a held import
   * whose door died is let go by the worker's sweep).
   */
  async executeThenTell(command: StartManyCommand, tell: TellStarted): Promise<ImportView[]> {
    const { importIds, ...rest } = parseCommand(startManyCommand, command, 'start the imports');
    const started: ImportView[] = [];
    const refused: { id: string; error: IntakeError }[] = [];
    try {
      for (const importId of importIds) {
        try {
          started.push(await this.start({ ...rest, importId }, true));
        } catch (e) {
          if (!isIntakeError(e)) throw e;
          refused.push({ id: importId, error: e });
        }
      }
      await tell(started, refused);
    } finally {
      for (const v of started) await this.line.release(rest.workspaceId, v.id);
    }
    return started;
  }

  private async start(c: Start, held: boolean): Promise<ImportView> {
    const { workspaceId, importId: id, actor } = c;
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
      assertFileKept(imp, this.config.retention.fileDays);
      assertStartable(imp);
      // The workspace's custom fields, bounded per type: a start that would pass the limit is refused.
      const custom = imp.mapping.flatMap((col) =>
        isCustomTarget(col.field) ? [{ key: customKeyOf(col.field), header: col.header }] : [],
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
          dryRun: wasDryRun ? false : (c.dryRun ?? false),
          onDuplicate: c.onDuplicate ?? imp.onDuplicate,
          linkCompanies: c.linkCompanies ?? imp.linkCompanies ?? true,
          counts: { ...ZERO_COUNTS },
          committedRow: 0,
          error: null,
          heartbeatAt: now,
          startedAt: null,
          finishedAt: null,
          held,
          teaches: c.byPerson === true && (wasDryRun || !c.dryRun),
          // The door's person who started it (a Slack user id): undo from that door is theirs.
          ...(actor.person ? { origin: { ...imp.origin, startedBy: actor.person } } : {}),
        },
      });
      if (!queued) continue; // moved or changed meanwhile: look again
      const act = wasDryRun ? 'run_for_real' : c.dryRun ? 'dry_run' : 'start';
      const acted = withAct(queued, await this.history.record(workspaceId, id, act, actor));
      if (!held) await this.line.join(queued);
      return { ...toImportView(acted), waiting: await this.line.waitingReason(queued) };
    }
    throw new IntakeError('conflict', `Import ${id} keeps changing; look at it again.`);
  }
}
