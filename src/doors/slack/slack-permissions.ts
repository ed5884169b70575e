import type { Channel } from '../../engine/imports/import.schema';
import { esc } from '../../protocols/slack/block-kit';

/**
 * Who may confirm an import in its thread: `team` lets any member of the workspace's own Slack team
 * who sees the thread change the mapping, start or cancel; `sharer` only the person who shared the
 * file, and admins.
 */
export type SlackConfirmMode = 'team' | 'sharer';

export const SLACK_CONFIRM_MODES: readonly SlackConfirmMode[] = ['team', 'sharer'];

export function isSlackConfirmMode(v: unknown): v is SlackConfirmMode {
  return SLACK_CONFIRM_MODES.includes(v as SlackConfirmMode);
}

/** A workspace's rules for its Slack door. */
export interface SlackPolicy {
  mode: SlackConfirmMode;
  /** Slack user ids the workspace made admins of Intake (`intake workspace slack-admin`). */
  admins: readonly string[];
  /** Whether Slack's own workspace admins and owners count as admins too. */
  trustSlackAdmins: boolean;
}

/** The person acting, as Slack's signed request says: their user id and the team they belong to. */
export interface SlackActor {
  userId: string;
  teamId: string;
  /** Whether the workspace links the actor's team (a Slack Connect guest's team usually is not). */
  inWorkspaceTeam: boolean;
  /** Slack's is_admin or is_owner, when it was asked (only if the policy trusts them). */
  isSlackAdmin?: boolean;
}

/** What a request wants to do to an import. */
export type SlackAct = 'confirm' | 'undo' | 'view';

/** The import acted on: which door it came from, who shared its file and who started it. */
export interface ImportOwnership {
  channel: Channel;
  sharedBy?: string | null;
  startedBy?: string | null;
}

export type Decision = { allowed: true } | { allowed: false; owner: string | null };

export function isSlackAdmin(policy: SlackPolicy, actor: SlackActor): boolean {
  if (!actor.inWorkspaceTeam) return false;
  return policy.admins.includes(actor.userId) || (policy.trustSlackAdmins && actor.isSlackAdmin === true);
}

/**
 * Decides one act. A person of another team never acts, whatever the mode. Admins may do anything on
 * the workspace's imports. Otherwise: confirming follows the mode; undo (it deletes records) is for
 * whoever started the import; viewing for whoever shared or started it. Imports from the other doors
 * (API, CLI, email) are admins' business only. A refusal names the person who could have acted.
 */
export function decide(
  policy: SlackPolicy,
  actor: SlackActor,
  act: SlackAct,
  imp: ImportOwnership,
): Decision {
  const sharer = imp.sharedBy || null;
  const starter = imp.startedBy || null;
  const owner = imp.channel !== 'slack' ? null : act === 'undo' ? starter : (sharer ?? starter);
  const refuse: Decision = { allowed: false, owner };
  if (!actor.inWorkspaceTeam) return refuse;
  if (isSlackAdmin(policy, actor)) return { allowed: true };
  if (imp.channel !== 'slack') return refuse;
  const me = actor.userId;
  switch (act) {
    case 'confirm':
      return policy.mode === 'team' || me === sharer ? { allowed: true } : refuse;
    case 'undo':
      return me === starter ? { allowed: true } : refuse;
    case 'view':
      return me === sharer || me === starter ? { allowed: true } : refuse;
  }
}

/**
 * Whether asking Slack if the actor is one of its workspace admins could change a refusal: only when
 * the policy trusts them and the actor is of the workspace's team.
 */
export function slackAdminCouldAllow(policy: SlackPolicy, actor: SlackActor, d: Decision): boolean {
  return !d.allowed && policy.trustSlackAdmins && actor.inWorkspaceTeam && actor.isSlackAdmin === undefined;
}

/** The one sentence a refused person reads. */
export function refusalText(d: Extract<Decision, { allowed: false }>): string {
  return d.owner ? `Only <@${d.owner}> or an admin can do that.` : 'Only an admin can do that.';
}

/** Which imports `status` lists for the actor: admins see the workspace's Slack imports, others their own. */
export function statusScope(policy: SlackPolicy, actor: SlackActor): { person?: string } | null {
  if (!actor.inWorkspaceTeam) return null;
  return isSlackAdmin(policy, actor) ? {} : { person: actor.userId };
}

/** What a team that is let in nowhere reads, once: how its admin gets it linked (Slack mrkdwn, escaped). */
export function notLinkedText(teamId: string): string {
  return `This Slack workspace is not linked to an Intake workspace. Ask your Intake operator to run \`intake workspace link-slack &lt;workspace&gt; ${esc(teamId)}\`.`;
}
