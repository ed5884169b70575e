import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { redact } from '../../core/redact';
import { isIntakeError } from '../../core/intake-error';
import { RECORD_TYPES, isRecordType } from '../../core/record-type';
import { ImportQueries } from '../../engine/use-cases/queries/import-queries';
import { UndoImport } from '../../engine/use-cases/undo/use-case';
import type { ImportFilter } from '../../engine/imports/imports.repository';
import type { SlackMessage } from '../../protocols/slack/block-kit';
import { esc } from '../../protocols/slack/block-kit';
import {
  helpMessage,
  plainMessage,
  statusDetailMessage,
  statusListMessage,
  undoConfirmMessage,
  canUndo,
  cannotUndoMessage,
  undoneMessage,
  undoneInThreadMessage,
  type UndoVia,
} from './command.blocks';
import type { ImportView } from '../../engine/imports/import-view';
import { SlackApi } from '../../protocols/slack/slack-api';
import { SlackFilesRepository } from './slack-files.repository';
import { ImportActions } from './import-actions';
import { slackErrorText } from '../../protocols/slack/slack-logger';
import { SlackAccess, SlackPerson } from './slack-access';
import { notLinkedText, refusalText } from './slack-permissions';
import { TeamWorkspaces } from './team-workspaces';

export interface CommandInput {
  text: string;
  teamId: string;
  channelId: string;
  userId: string;
}

/** The answer (shown only to the person) and work to do once Slack has it. */
export interface CommandReply {
  response: SlackMessage;
  after?: () => Promise<SlackMessage | null>;
}

/** Imports `/intake status` lists one per line. */
const STATUS_LINES = 10;

/** `/intake template <type> | status [id] | undo <id> | help`; anything else gets the help. */
@Injectable()
export class IntakeCommand {
  private readonly log = new Logger('SlackCommand');

  constructor(
    private readonly imports: ImportQueries,
    private readonly undos: UndoImport,
    private readonly teams: TeamWorkspaces,
    private readonly actions: ImportActions,
    private readonly access: SlackAccess,
    private readonly files: SlackFilesRepository,
    private readonly slack: SlackApi,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(input: CommandInput): Promise<CommandReply> {
    const [verb = '', arg = ''] = input.text.trim().split(/\s+/);
    const workspaceId = await this.teams.of(input.teamId);
    if (!workspaceId) return { response: plainMessage(notLinkedText(input.teamId)) };
    const person = { userId: input.userId, teamId: input.teamId };
    try {
      switch (verb.toLowerCase()) {
        case 'template':
          return this.template(input, arg.toLowerCase());
        case 'status':
          return { response: await this.status(workspaceId, person, arg) };
        case 'undo': {
          if (!arg)
            return { response: plainMessage(`Which import? \`${this.config.slack.command} undo <id>\``) };
          const decision = await this.access.check(workspaceId, person, 'undo', arg);
          if (!decision.allowed) return { response: plainMessage(refusalText(decision)) };
          const view = await this.imports.get(workspaceId, arg);
          return { response: canUndo(view) ? undoConfirmMessage(view) : cannotUndoMessage(view) };
        }
        case 'help':
        case '':
          return { response: helpMessage(this.config.slack.command) };
        default:
          return { response: helpMessage(this.config.slack.command, verb) };
      }
    } catch (e) {
      if (isIntakeError(e)) return { response: plainMessage(esc(e.message)) };
      throw e;
    }
  }

  /**
   * One import for who may see it, or the list: an admin's is the workspace's Slack imports, anyone
   * else's the Slack imports they shared or started.
   */
  private async status(workspaceId: string, person: SlackPerson, id: string): Promise<SlackMessage> {
    if (id) {
      const decision = await this.access.check(workspaceId, person, 'view', id);
      if (!decision.allowed) return plainMessage(refusalText(decision));
      return statusDetailMessage(await this.imports.get(workspaceId, id));
    }
    const admin = await this.access.isAdmin(workspaceId, person);
    const filter: ImportFilter = admin ? { channel: 'slack' } : { channel: 'slack', person: person.userId };
    // Read past the lines shown, so that proposals awaiting a mapping (folded into one line) do not
    // crowd out the imports that ran.
    const views = await this.imports.list(workspaceId, 5 * STATUS_LINES, filter);
    const ran = views.filter((x) => x.status !== 'awaiting_mapping').slice(0, STATUS_LINES);
    return statusListMessage([...ran, ...views.filter((x) => x.status === 'awaiting_mapping')]);
  }

  /** The Undo button of earlier summaries: the same question `undo <id>` asks, after the same checks. */
  async undoAsk(where: { teamId: string; userId: string; userTeamId: string }, importId: string) {
    const workspaceId = await this.teams.of(where.teamId);
    if (!workspaceId) return plainMessage(notLinkedText(where.teamId));
    try {
      const person = { userId: where.userId, teamId: where.userTeamId };
      const decision = await this.access.check(workspaceId, person, 'undo', importId);
      if (!decision.allowed) return plainMessage(refusalText(decision));
      const view = await this.imports.get(workspaceId, importId);
      return canUndo(view) ? undoConfirmMessage(view, 'button') : cannotUndoMessage(view);
    } catch (e) {
      if (isIntakeError(e)) return plainMessage(esc(e.message));
      throw e;
    }
  }

  /**
   * Undoes the import, checked again, since the button may be pressed by someone else; `via` says where
   * it was asked (the slash command's question, or the summary's button). Once undone, the import's
   * thread is told. `replace`: the answer may replace the question it answers; a second undo (while the
   * first works, or after) is answered beside it, so the first answer's result stays in sight.
   */
  async undo(
    where: { teamId: string; userId: string; userTeamId: string },
    importId: string,
    via: UndoVia,
  ): Promise<{ message: SlackMessage; replace: boolean }> {
    const workspaceId = await this.teams.of(where.teamId);
    if (!workspaceId) return { message: plainMessage(notLinkedText(where.teamId)), replace: true };
    try {
      const person = { userId: where.userId, teamId: where.userTeamId };
      const decision = await this.access.check(workspaceId, person, 'undo', importId);
      if (!decision.allowed) return { message: plainMessage(refusalText(decision)), replace: true };
      const actor = { door: 'slack', person: where.userId } as const;
      const undone = await this.undos.execute({ workspaceId, importId, actor });
      await this.tellThread(workspaceId, undone, where.userId, via);
      return { message: undoneMessage(undone), replace: true };
    } catch (e) {
      if (isIntakeError(e) && e.code === 'already_done')
        return { message: plainMessage(`:information_source: ${esc(e.message)}`), replace: false };
      if (isIntakeError(e)) return { message: plainMessage(esc(e.message)), replace: true };
      this.log.error(`undo of ${importId} failed: ${redact((e as Error).message)}`);
      const failed = 'Something went wrong on my side; the import was not rolled back. Try again.';
      return { message: plainMessage(failed), replace: true };
    }
  }

  /** The thread the import was started in hears that it was undone, by whom and from where. */
  private async tellThread(workspaceId: string, view: ImportView, user: string, via: UndoVia) {
    const file = await this.files.byImport(workspaceId, view.id).catch(() => null);
    if (!file?.threadTs) return; // started from another door, or the thread is forgotten
    const from =
      via === 'button' ? 'with the *Undo import* button' : `with \`${this.config.slack.command} undo\``;
    const thread = { channel: file.channel, threadTs: file.threadTs };
    await this.slack.tryPost(thread, undoneInThreadMessage(view, user, from), 'that it was undone');
  }

  private template(input: CommandInput, type: string): CommandReply {
    if (!isRecordType(type)) {
      return {
        response: plainMessage(
          `Which template? \`${this.config.slack.command} template <${RECORD_TYPES.join('|')}>\``,
        ),
      };
    }
    return {
      response: plainMessage(`Here comes the sample ${type} template.`),
      after: async () => {
        try {
          await this.actions.uploadTemplate({ channel: input.channelId }, type);
          return null;
        } catch (e) {
          this.log.warn(`could not upload the ${type} template: ${slackErrorText(e)}`);
          return plainMessage(
            `I could not upload the template here (${esc(slackErrorText(e))}). Invite me to this channel, or ask me in a direct message.`,
          );
        }
      },
    };
  }
}
