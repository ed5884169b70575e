import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { redact } from '../../core/redact';
import { isIntakeError } from '../../core/intake-error';
import { RECORD_TYPES, isRecordType } from '../../core/record-type';
import { ImportService } from '../../engine/imports/import.service';
import type { SlackMessage } from './block-kit';
import { esc } from './block-kit';
import {
  helpMessage,
  plainMessage,
  statusDetailMessage,
  statusListMessage,
  undoConfirmMessage,
  undoneMessage,
} from './command.blocks';
import { ImportActions } from './import-actions.service';
import { slackErrorText } from './slack-logger';
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

/** `/intake template <type> | status [id] | undo <id> | help`; anything else gets the help. */
@Injectable()
export class IntakeCommand {
  private readonly log = new Logger('SlackCommand');

  constructor(
    private readonly imports: ImportService,
    private readonly teams: TeamWorkspaces,
    private readonly actions: ImportActions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(input: CommandInput): Promise<CommandReply> {
    const [verb = '', arg = ''] = input.text.trim().split(/\s+/);
    const workspaceId = await this.teams.of(input.teamId);
    try {
      switch (verb.toLowerCase()) {
        case 'template':
          return this.template(input, arg.toLowerCase());
        case 'status':
          return {
            response: arg
              ? statusDetailMessage(await this.imports.get(workspaceId, arg))
              : statusListMessage(await this.imports.list(workspaceId, 10)),
          };
        case 'undo':
          if (!arg)
            return { response: plainMessage(`Which import? \`${this.config.slack.command} undo <id>\``) };
          return { response: undoConfirmMessage(await this.imports.get(workspaceId, arg)) };
        default:
          return { response: helpMessage(this.config.slack.command) };
      }
    } catch (e) {
      if (isIntakeError(e)) return { response: plainMessage(esc(e.message)) };
      throw e;
    }
  }

  /** The confirmation button of `undo`. */
  async undo(teamId: string, importId: string): Promise<SlackMessage> {
    const workspaceId = await this.teams.of(teamId);
    try {
      return undoneMessage(await this.imports.rollback(workspaceId, importId));
    } catch (e) {
      if (isIntakeError(e)) return plainMessage(esc(e.message));
      this.log.error(`undo of ${importId} failed: ${redact((e as Error).message)}`);
      return plainMessage('Something went wrong on my side; the import was not rolled back. Try again.');
    }
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
