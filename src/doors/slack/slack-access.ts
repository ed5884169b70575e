import { Injectable } from '@nestjs/common';
import { ImportQueries } from '../../engine/use-cases/queries/import-queries';
import { WorkspacesRepository } from '../../engine/workspaces/workspaces.repository';
import { SlackApi } from '../../protocols/slack/slack-api';
import {
  Decision,
  ImportOwnership,
  SlackAct,
  SlackActor,
  SlackPolicy,
  decide,
  isSlackAdmin,
  slackAdminCouldAllow,
} from './slack-permissions';
import { TeamWorkspaces } from './team-workspaces';

/** The person a Slack request comes from, by user id and the team they belong to. */
export interface SlackPerson {
  userId: string;
  teamId: string;
}

/** Applies the workspace's Slack rules to a person: what they may do to which import. */
@Injectable()
export class SlackAccess {
  constructor(
    private readonly teams: TeamWorkspaces,
    private readonly workspaces: WorkspacesRepository,
    private readonly imports: ImportQueries,
    private readonly slack: SlackApi,
  ) {}

  async policy(workspaceId: string): Promise<SlackPolicy> {
    const ws = await this.workspaces.find(workspaceId);
    return {
      mode: ws?.slackConfirm === 'sharer' ? 'sharer' : 'team',
      admins: ws?.slackAdmins ?? [],
      trustSlackAdmins: ws?.slackTrustWorkspaceAdmins === true,
    };
  }

  async actor(workspaceId: string, person: SlackPerson): Promise<SlackActor> {
    return {
      userId: person.userId,
      teamId: person.teamId,
      inWorkspaceTeam: (await this.teams.of(person.teamId)) === workspaceId,
    };
  }

  /** Who shared and who started the import, as its door recorded them. */
  async ownership(workspaceId: string, importId: string): Promise<ImportOwnership> {
    const { channel, origin } = await this.imports.origin(workspaceId, importId);
    const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
    return { channel, sharedBy: text(origin.user), startedBy: text(origin.startedBy) };
  }

  /** Decides, asking Slack whether the person is one of its workspace admins only when that could help. */
  async check(workspaceId: string, person: SlackPerson, act: SlackAct, importId: string): Promise<Decision> {
    const [policy, actor, ownership] = await Promise.all([
      this.policy(workspaceId),
      this.actor(workspaceId, person),
      this.ownership(workspaceId, importId),
    ]);
    const first = decide(policy, actor, act, ownership);
    if (!slackAdminCouldAllow(policy, actor, first)) return first;
    const isSlackAdmin = await this.slack.isWorkspaceAdmin(actor.userId);
    return decide(policy, { ...actor, isSlackAdmin }, act, ownership);
  }

  /** Whether the person is an admin of the workspace (the Intake list, or Slack's own when trusted). */
  async isAdmin(workspaceId: string, person: SlackPerson): Promise<boolean> {
    const [policy, actor] = await Promise.all([this.policy(workspaceId), this.actor(workspaceId, person)]);
    if (isSlackAdmin(policy, actor) || !policy.trustSlackAdmins || !actor.inWorkspaceTeam) {
      return isSlackAdmin(policy, actor);
    }
    return isSlackAdmin(policy, { ...actor, isSlackAdmin: await this.slack.isWorkspaceAdmin(actor.userId) });
  }
}
