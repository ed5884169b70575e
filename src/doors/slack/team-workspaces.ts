import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { WorkspacesRepository } from '../../engine/workspaces/workspaces.repository';

/**
 * A Slack team imports into the workspace linked to it (`intake workspace link-slack`). An unlinked
 * team falls back to the default workspace: the bot token belongs to one team, and every request is
 * signed, so a team that reaches us is the one that installed the app.
 */
@Injectable()
export class TeamWorkspaces {
  constructor(
    private readonly workspaces: WorkspacesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async of(teamId: string | undefined | null): Promise<string> {
    const ws = teamId ? await this.workspaces.findBySlackTeam(teamId) : null;
    return ws?._id ?? this.config.defaultWorkspace.id;
  }
}
