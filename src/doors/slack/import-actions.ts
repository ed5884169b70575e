import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../../core/clock';
import { IntakeError } from '../../core/intake-error';
import { RecordType } from '../../core/record-type';
import { sampleTemplate, templateFileName } from '../../core/template/sample-template';
import type { Actor, OnDuplicate } from '../../engine/imports/import.schema';
import { CancelImport } from '../../engine/use-cases/cancel/use-case';
import { ChangeMapping } from '../../engine/use-cases/change-mapping/use-case';
import { ChooseSheet } from '../../engine/use-cases/choose-sheet/use-case';
import { ImportQueries } from '../../engine/use-cases/queries/import-queries';
import { RetryImport } from '../../engine/use-cases/retry/use-case';
import type { StartOptions } from '../../engine/use-cases/start/command';
import { StartImport } from '../../engine/use-cases/start/use-case';
import { UpdateExisting } from '../../engine/use-cases/update-existing/use-case';
import type { ImportView } from '../../engine/imports/import-view';
import { esc, literal } from '../../protocols/slack/block-kit';
import { ActionGuard, type ActionContext, type Target } from './action-guard';
import { actMessage, dryRunStartedForReal, noteMessage, startedMessage } from './import.blocks';
import { ImportProgress } from './import-progress';
import { emptyColumnsText, pageCount, startRefusedMessage } from './mapping.blocks';
import { forgottenText } from './learned.blocks';
import { LearnedMappings } from '../../engine/workspaces/learned-mappings';
import { MappingMessages } from './mapping-messages';
import { SlackApi, Thread } from '../../protocols/slack/slack-api';
import { SlackFilesRepository } from './slack-files.repository';
import { ReportUpload } from './report-upload';

/** The person who clicked, as the import's history names them. */
function actorOf(ctx: ActionContext): Actor {
  return { door: 'slack', person: ctx.userId };
}

/** The clicked import, acted on by the person who clicked. */
function actOn(t: Target, ctx: ActionContext) {
  return { workspaceId: t.workspaceId, importId: ctx.importId, actor: actorOf(ctx) };
}

/** What the buttons and selects of the thread do, each a call to one of the engine's use cases. */
@Injectable()
export class ImportActions {
  constructor(
    private readonly imports: ImportQueries,
    private readonly sheets: ChooseSheet,
    private readonly columns: ChangeMapping,
    private readonly starts: StartImport,
    private readonly cancels: CancelImport,
    private readonly retries: RetryImport,
    private readonly updates: UpdateExisting,
    private readonly files: SlackFilesRepository,
    private readonly slack: SlackApi,
    private readonly mapping: MappingMessages,
    private readonly progress: ImportProgress,
    private readonly guards: ActionGuard,
    private readonly learned: LearnedMappings,
    private readonly reports: ReportUpload,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  changeType(ctx: ActionContext, type: RecordType): Promise<void> {
    return this.guards.run(ctx, 'choose', async (t) => {
      const view = await this.columns.execute({ ...actOn(t, ctx), type, at: ctx.at });
      await this.redraw(t, view);
    });
  }

  /**
   * Reads another sheet (`sheet`: its number). Its columns replace the old ones; when they need another
   * number of pages, the mapping is posted again below and the old pages say so.
   */
  changeSheet(ctx: ActionContext, sheet: string): Promise<void> {
    return this.guards.run(ctx, 'choose', async (t) => {
      const view = await this.sheets.execute({ ...actOn(t, ctx), sheet });
      const file = (await this.files.byImport(t.workspaceId, view.id)) ?? t.file;
      if (!file || pageCount(view) === file.mappingTs.length) {
        return this.redraw(t, view);
      }
      const mappingTs = await this.mapping.post(file, view);
      await this.files.update(file.teamId, file.fileId, { mappingTs });
      const moved = noteMessage(`Now reading sheet *${esc(view.sheet ?? '')}*: its mapping is below.`);
      for (const ts of file.mappingTs)
        if (ts) await this.slack.tryUpdate(file.channel, ts, moved, 'an old page');
    });
  }

  changeColumn(ctx: ActionContext, index: number, field: string | null): Promise<void> {
    return this.guards.run(ctx, 'choose', async (t) => {
      const view = await this.columns.execute({ ...actOn(t, ctx), byIndex: [{ index, field }], at: ctx.at });
      await this.redraw(t, view, index);
    });
  }

  /**
   * A learned column's "Forget what was learned": the workspace forgets its header, with the rights a
   * mapping change needs; the thread is told who did it. This file keeps its mapping.
   */
  forgetLearned(ctx: ActionContext, index: number): Promise<void> {
    return this.guards.run(ctx, 'choose', async (t) => {
      const view = await this.imports.get(t.workspaceId, ctx.importId);
      const col = view.columns[index];
      if (!col) throw new IntakeError('not_found', `There is no column ${index + 1} in this file.`);
      try {
        const gone = await this.learned.forget(t.workspaceId, view.type, col.header, {
          door: 'slack',
          by: ctx.userId,
        });
        const text = forgottenText(ctx.userId, view.type, gone.header, gone.field, gone.learnedFrom.fileName);
        await this.slack.tryPost(t.thread, noteMessage(text, ':wastebasket:'), 'the forgetting');
      } finally {
        await this.redraw(t, view, index); // the select shows the column's field again
      }
    });
  }

  setDuplicates(ctx: ActionContext, onDuplicate: OnDuplicate): Promise<void> {
    return this.guards.run(ctx, 'choose', (t) =>
      this.files.setOnDuplicate(t.workspaceId, ctx.importId, onDuplicate),
    );
  }

  setLinkCompanies(ctx: ActionContext, linkCompanies: boolean): Promise<void> {
    return this.guards.run(ctx, 'choose', (t) =>
      this.files.setLinkCompanies(t.workspaceId, ctx.importId, linkCompanies),
    );
  }

  start(ctx: ActionContext, dryRun: boolean): Promise<void> {
    return this.guards.run(ctx, 'confirm', async (t) => {
      const opts = {
        dryRun,
        onDuplicate: t.file?.onDuplicate ?? 'skip',
        linkCompanies: t.file?.linkCompanies ?? true,
        byPerson: true,
      } as const;
      const started = await this.startAndTell(t, ctx, opts, dryRun ? 'dry_run' : 'start');
      if (!started) return;
      await this.redraw(t, started);
      await this.progress.follow(t.workspaceId, started, t.thread);
    });
  }

  /** The dry run's "Run it for real": the same import, started again without dryRun. */
  runForReal(ctx: ActionContext): Promise<void> {
    return this.guards.run(ctx, 'confirm', async (t) => {
      const started = await this.startAndTell(t, ctx, { byPerson: true }, 'run_for_real');
      if (!started) return;
      if (ctx.messageTs) {
        const done = dryRunStartedForReal(started, ctx.userId);
        await this.slack.tryUpdate(ctx.channel, ctx.messageTs, done, 'the dry run summary');
      }
      await this.progress.follow(t.workspaceId, started, t.thread);
    });
  }

  /**
   * The summary's "Update existing records": the same file imported again with the same mapping,
   * updating the records that existed, as a new import told in the same thread. Once per import.
   */
  updateExisting(ctx: ActionContext): Promise<void> {
    return this.guards.run(ctx, 'confirm', async (t) => {
      if (!t.file) throw new IntakeError('not_found', 'I no longer know the thread of this import.');
      const claim = await this.files.claimUpdate(t.file, ctx.importId, this.clock.now());
      if (!claim) {
        const again = 'The records of this import are already being updated: see the summary below.';
        await this.slack.tryEphemeral(t.thread, ctx.userId, again, 'that it is already updating');
        return;
      }
      const { teamId, channel, threadTs, userId } = t.file;
      let started;
      try {
        started = await this.updates.execute(
          { ...actOn(t, ctx), origin: { team: teamId, channel, threadTs, user: userId } },
          (next) => this.files.update(t.file!.teamId, claim, { state: 'imported', importId: next.id }),
        );
      } catch (e) {
        await this.files.dropClaim(t.file.teamId, claim);
        throw e;
      }
      const text = `<@${ctx.userId}> is importing the file again, updating the records that already existed.`;
      await this.slack.tryPost(t.thread, noteMessage(text, ':arrows_counterclockwise:'), 'the update start');
      await this.progress.follow(t.workspaceId, started, t.thread);
    });
  }

  /** The empty columns folded into one line, named to the person who asked (it changes nothing). */
  showEmpty(ctx: ActionContext): Promise<void> {
    return this.guards.run(ctx, null, async (t) => {
      const view = await this.imports.get(t.workspaceId, ctx.importId);
      await this.slack.tryEphemeral(t.thread, ctx.userId, emptyColumnsText(view), 'the empty columns');
    });
  }

  cancel(ctx: ActionContext): Promise<void> {
    return this.guards.run(ctx, 'confirm', async (t) => {
      const view = await this.cancels.execute(actOn(t, ctx));
      const what =
        view.status === 'cancelling'
          ? 'The rows in flight are finished, then it stops; the summary follows.'
          : `Nothing more of \`${literal(view.fileName, 120)}\` is imported.`;
      await this.slack.tryPost(t.thread, actMessage(ctx.userId, 'cancel', what), 'the cancel');
      await this.redraw(t, view);
    });
  }

  /** A failed import's "Retry": it goes on after the last row it wrote. */
  retry(ctx: ActionContext): Promise<void> {
    return this.guards.run(ctx, 'confirm', async (t) => {
      const view = await this.retries.execute(actOn(t, ctx));
      const told = actMessage(ctx.userId, 'retry', 'It goes on after the last row it wrote.');
      await this.slack.tryPost(t.thread, told, 'the retry');
      await this.progress.follow(t.workspaceId, view, t.thread);
    });
  }

  /** The report of skipped and flagged rows, uploaded again into the thread (it changes nothing). */
  report(ctx: ActionContext): Promise<void> {
    return this.guards.run(ctx, null, async (t) => {
      const view = await this.imports.get(t.workspaceId, ctx.importId);
      if (!view.actions.some((o) => o.kind === 'download_report')) {
        const none = `Import \`${view.id}\` has no skipped or flagged rows to report.`;
        await this.slack.tryEphemeral(t.thread, ctx.userId, none, 'that there is no report');
        return;
      }
      await this.reports.upload(t.workspaceId, view, t.thread);
    });
  }

  /** The sample template changes nothing, so whoever sees the thread may ask for it. */
  template(ctx: ActionContext): Promise<void> {
    return this.guards.run(ctx, null, async (t) => {
      const view = await this.imports.get(t.workspaceId, ctx.importId);
      await this.uploadTemplate(t.thread, view.type);
    });
  }

  async uploadTemplate(thread: Thread, type: RecordType): Promise<void> {
    await this.slack.upload(
      thread,
      templateFileName(type),
      Buffer.from(sampleTemplate(type)),
      `The sample ${type} template: fill it in and share it here.`,
    );
  }

  /**
   * Starts the import, tells the thread who started it, then lets it run (the engine's one sequence for
   * every door). A mapping that cannot start is told in the thread; null then.
   */
  private async startAndTell(
    t: Target,
    ctx: ActionContext,
    opts: StartOptions,
    act: 'start' | 'dry_run' | 'run_for_real',
  ): Promise<ImportView | null> {
    const [started] = await this.starts.executeThenTell(
      { workspaceId: t.workspaceId, importIds: [ctx.importId], actor: actorOf(ctx), ...opts },
      async (_started, [refused]) => {
        if (!refused) {
          await this.slack.tryPost(t.thread, startedMessage(ctx.userId, act), 'the start message');
          return;
        }
        const { error } = refused;
        if (error.code !== 'missing_required' && error.code !== 'invalid_mapping') throw error;
        await this.slack.tryPost(t.thread, startRefusedMessage(error.message), 'a refusal');
      },
    );
    return started ?? null;
  }

  /**
   * Redraws the mapping after a change, with the file read again after the change: a click on the first
   * page can arrive before the pages' ts are stored, and then the intake draws the change itself.
   */
  private async redraw(t: Target, view: ImportView, column?: number): Promise<void> {
    const file = (await this.files.byImport(t.workspaceId, view.id)) ?? t.file;
    if (file) await this.mapping.refresh(file, view, column);
  }
}
