import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { WorkspacesRepository } from '../../engine/workspaces/workspaces.repository';
import { SlackApi } from '../../protocols/slack/slack-api';

/**
 * Which workspace a Slack team imports into: the one linked to it (`intake workspace link-slack`), else,
 * for the team the bot token belongs to (auth.test), the default workspace. Any other team is not let
 * in: the signing secret is the app's, so an installation of the same app in another team, or a guest
 * of another organization in a shared channel, sends requests that are signed just as well.
 */
@Injectable()
export class TeamWorkspaces {
  constructor(
    private readonly workspaces: WorkspacesRepository,
    private readonly slack: SlackApi,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The team's workspace, or null when the team is not let in. */
  async of(teamId: string | undefined | null): Promise<string | null> {
    if (!teamId) return null;
    const ws = await this.workspaces.findBySlackTeam(teamId);
    if (ws) return ws._id;
    const bot = await this.slack.bot();
    return bot.teamId && bot.teamId === teamId ? this.config.defaultWorkspace.id : null;
  }
}
