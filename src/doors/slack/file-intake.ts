import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CLOCK, Clock } from '../../core/clock';
import { redact } from '../../core/redact';
import { isIntakeError } from '../../core/intake-error';
import { ProposeImport } from '../../engine/use-cases/propose/use-case';
import { ImportQueries } from '../../engine/use-cases/queries/import-queries';
import type { ImportView } from '../../engine/imports/import-view';
import { esc } from '../../protocols/slack/block-kit';
import { SlackFileMeta, fileKind, shareTs } from '../../protocols/slack/file-kind';
import { noteMessage } from './import.blocks';
import { MappingMessages } from './mapping-messages';
import { SlackApi, Thread } from '../../protocols/slack/slack-api';
import { NewSlackFile, SlackFilesRepository } from './slack-files.repository';
import { isTerminal } from '../../core/lifecycle/import-lifecycle';
import { slackErrorText } from '../../protocols/slack/slack-logger';
import { OncePer } from '../../protocols/slack/once-per';
import { notLinkedText } from './slack-permissions';
import { TeamWorkspaces } from './team-workspaces';
import { WorkspacesRepository } from '../../engine/workspaces/workspaces.repository';

/** How long a file_shared event whose sharing message is unknown waits for the message event. */
const SHARE_WAIT_MS = 1500;

/** A team that is let in nowhere is told so once per channel in this time, not at every event or retry. */
const NOT_LINKED_QUIET_MS = 10 * 60_000;

const NOT_A_TABLE_HINT =
  'I import files whose first line names the columns and whose rows hold one value per column.';

/** A file share as either of its two events describes it. */
export interface SharedFile {
  teamId: string;
  fileId: string;
  channel: string;
  userId: string;
  /** The sharer's own team when the event says it (a message in a Slack Connect channel does). */
  userTeamId?: string;
  botId?: string;
  /** The message that shared it (message events carry it; file_shared does not). */
  messageTs?: string;
  threadTs?: string;
}

/** Turns a file shared in Slack into one upload, and answers in its thread. */
@Injectable()
export class FileIntake {
  private readonly log = new Logger('SlackFiles');
  private readonly notLinkedTold = new OncePer(NOT_LINKED_QUIET_MS);

  constructor(
    private readonly slack: SlackApi,
    private readonly files: SlackFilesRepository,
    private readonly teams: TeamWorkspaces,
    private readonly propose: ProposeImport,
    private readonly imports: ImportQueries,
    private readonly mapping: MappingMessages,
    private readonly workspaces: WorkspacesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async handle(shared: SharedFile): Promise<void> {
    const bot = await this.slack.bot();
    if (shared.userId === bot.userId || (shared.botId && shared.botId === bot.botId)) return;
    // The app's installation must be let in, and so must the sharer's own team: a guest of another
    // organization in a Slack Connect channel imports only if their team is linked.
    if (!(await this.teams.of(shared.teamId))) return this.notLinked(shared, shared.teamId);
    let meta: SlackFileMeta | null = null;
    let threadTs = shared.threadTs ?? shared.messageTs ?? '';
    if (!threadTs || !shared.userTeamId) meta = await this.info(shared.fileId);
    if (!shared.userTeamId && !meta) {
      // Who shared it is not known (a guest of a Slack Connect channel counts as their own team), so it
      // is never taken for the host team's. The share's message event names the team and carries it on.
      this.log.warn(`file ${shared.fileId}: its sharer's team is unknown (files.info failed); not taken`);
      return;
    }
    const sharerTeam = shared.userTeamId || meta?.user_team || shared.teamId;
    const workspaceId = await this.teams.of(sharerTeam);
    if (!workspaceId) return this.notLinked(shared, sharerTeam, threadTs);
    if (!threadTs) {
      // file_shared does not say which message shared the file; the message event does, so when
      // files.info does not know yet either, give that event a moment to claim the file first.
      threadTs = (meta && shareTs(meta, shared.channel)) ?? '';
      if (!threadTs) await new Promise((r) => setTimeout(r, SHARE_WAIT_MS));
    }
    const claim = {
      teamId: shared.teamId,
      fileId: shared.fileId,
      workspaceId,
      channel: shared.channel,
      threadTs,
      userId: shared.userId,
    };
    const first =
      (await this.files.claim(claim, this.clock.now())) || (await this.sharedAgain(claim, workspaceId));
    if (!first) return; // the other event of this upload, or a retry: already handled
    if (!meta || !threadTs) meta = await this.info(shared.fileId);
    if (meta?.user && meta.user === bot.userId) return this.refuse(shared, null, null);
    const thread = await this.thread(shared, meta, threadTs);
    if (!meta) {
      return this.refuse(shared, thread, "I couldn't get this file from Slack. Please share it again.");
    }
    const refusal = this.precheck(meta);
    if (refusal) return this.refuse(shared, thread, refusal);
    await this.importFile(shared, meta, thread, workspaceId);
  }

  /**
   * The same file shared in another message: when its import has ended it starts afresh here (true);
   * while it is still going, the new share's thread points to the first one, once (false).
   */
  private async sharedAgain(claim: NewSlackFile, workspaceId: string): Promise<boolean> {
    const known = await this.files.get(claim.teamId, claim.fileId);
    if (!known || !claim.threadTs || known.threadTs === claim.threadTs) return false;
    if (known.state === 'refused') return this.files.restart(claim, null, this.clock.now());
    if (!known.importId) return false;
    const view = known.importId
      ? await this.imports.get(workspaceId, known.importId).catch(() => null)
      : null;
    if (view && isTerminal(view.status)) return this.files.restart(claim, view.id, this.clock.now());
    if (!(await this.files.noteReshare(claim.teamId, claim.fileId, claim.threadTs))) return false;
    const where = known.channel === claim.channel ? 'this channel' : `<#${known.channel}>`;
    await this.slack.tryPost(
      { channel: claim.channel, threadTs: claim.threadTs },
      noteMessage(
        `This file is already being imported: its mapping and progress are in the thread where it was first ` +
          `shared in ${where}. Once that import has ended, share it again to start a new one.`,
        ':link:',
      ),
      'that the file is already being imported',
    );
    return false;
  }

  /** Tells the channel once how to get the team linked; stores nothing, so a share after linking works. */
  private async notLinked(shared: SharedFile, teamId: string, threadTs = ''): Promise<void> {
    this.log.warn(`Slack team ${teamId} is not linked to a workspace; file ${shared.fileId} ignored`);
    if (!this.notLinkedTold.first(`${teamId}:${shared.channel}`, this.clock.now().getTime())) return;
    await this.slack.tryPost(
      { channel: shared.channel, ...(threadTs ? { threadTs } : {}) },
      noteMessage(notLinkedText(teamId), ':lock:'),
      'that the team is not linked',
    );
  }

  private info(fileId: string): Promise<SlackFileMeta | null> {
    return this.slack.fileInfo(fileId).catch((e: unknown) => {
      this.log.warn(`files.info ${fileId} failed: ${slackErrorText(e)}`);
      return null;
    });
  }

  /** What can be said from the file's name, type and size alone, before downloading anything. */
  private precheck(meta: SlackFileMeta): string | null {
    const name = `\`${esc(meta.name ?? meta.id)}\``;
    const max = this.config.limits.maxFileBytes;
    if ((meta.size ?? 0) > max) {
      return `${name} is larger than the ${sizeText(max)} limit, so I did not download it. Split it into smaller CSV files and share them.`;
    }
    const kind = fileKind(meta);
    // Workbooks are downloaded and told apart by their bytes; a Google Sheet is no file to download.
    if (kind === 'spreadsheet' && meta.filetype === 'gsheet') {
      return `${name} is a Google Sheet, which I cannot download. Use File → Download → Microsoft Excel (.xlsx) or CSV, and share that file here.`;
    }
    if (kind === 'other') {
      return `${name} is neither a CSV file nor an Excel workbook, so there is nothing for me to import. Share a .csv or .xlsx file, or ask for the sample template with \`${this.config.slack.command} template clients\`.`;
    }
    if (!meta.url_private_download) return `I can't download ${name} from Slack. Please share it again.`;
    return null;
  }

  private async importFile(shared: SharedFile, meta: SlackFileMeta, thread: Thread, workspaceId: string) {
    let view;
    try {
      const stream = await this.slack.download(meta.url_private_download!);
      view = await this.propose.execute({
        workspaceId,
        actor: { door: 'slack', person: shared.userId },
        source: stream,
        fileName: meta.name ?? `${meta.id}.csv`,
        origin: {
          team: shared.teamId,
          channel: thread.channel,
          threadTs: thread.threadTs,
          user: shared.userId,
          fileId: shared.fileId,
        },
        requireTable: true,
      });
    } catch (e) {
      if (isIntakeError(e) && e.code === 'not_a_table') {
        const answer = (await this.workspaces.find(workspaceId))?.slackAnswerNonTables !== false;
        return this.refuse(shared, thread, answer ? `${esc(e.message)} ${NOT_A_TABLE_HINT}` : null);
      }
      if (isIntakeError(e)) return this.refuse(shared, thread, esc(e.message));
      this.log.error(`could not import Slack file ${shared.fileId}: ${redact((e as Error).message)}`);
      return this.refuse(
        shared,
        thread,
        'Something went wrong while I read this file. Please share it again.',
      );
    }
    await this.files.update(shared.teamId, shared.fileId, { state: 'imported', importId: view.id });
    try {
      const mappingTs = await this.mapping.post(
        { ...thread, threadTs: thread.threadTs ?? '', onDuplicate: 'skip' },
        view,
      );
      await this.files.update(shared.teamId, shared.fileId, { mappingTs });
    } catch (e) {
      this.log.warn(`could not post the mapping of import ${view.id}: ${slackErrorText(e)}`);
      await this.slack.tryPost(
        thread,
        noteMessage(
          `I read the file (import \`${view.id}\`) but could not show its mapping here. Share it again to retry.`,
        ),
        'a note',
      );
    }
    await this.drawChangesMadeWhilePosting(workspaceId, view);
  }

  /**
   * A person may click the first page before every page is posted and their ts stored; such a change
   * cannot redraw pages it does not know of. Once the ts are stored, the latest mapping is drawn if it
   * moved on meanwhile (a change after this read finds the ts and draws itself).
   */
  private async drawChangesMadeWhilePosting(workspaceId: string, posted: ImportView): Promise<void> {
    try {
      const latest = await this.imports.get(workspaceId, posted.id);
      if (latest.mappingVersion === posted.mappingVersion && latest.status === posted.status) return;
      const file = await this.files.byImport(workspaceId, posted.id);
      if (file?.mappingTs.length) await this.mapping.refresh(file, latest);
    } catch (e) {
      this.log.warn(`could not redraw the mapping of import ${posted.id}: ${slackErrorText(e)}`);
    }
  }

  /** The thread to answer in: the sharing message, or a new message when Slack does not say which. */
  private async thread(shared: SharedFile, meta: SlackFileMeta | null, known: string): Promise<Thread> {
    let threadTs = known || (meta ? shareTs(meta, shared.channel) : undefined);
    if (!threadTs) {
      const name = esc(meta?.name ?? 'your file');
      threadTs =
        (await this.slack.tryPost(
          { channel: shared.channel },
          noteMessage(`Reading \`${name}\`…`),
          'a note',
        )) ?? undefined;
    }
    if (threadTs) await this.files.update(shared.teamId, shared.fileId, { threadTs });
    return { channel: shared.channel, threadTs };
  }

  private async refuse(shared: SharedFile, thread: Thread | null, text: string | null): Promise<void> {
    await this.files.update(shared.teamId, shared.fileId, { state: 'refused' });
    if (thread && text) await this.slack.tryPost(thread, noteMessage(text, ':warning:'), 'a refusal');
  }
}

function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
