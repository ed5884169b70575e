import { Injectable, Logger } from '@nestjs/common';
import { isIntakeError } from '../../core/intake-error';
import { redact } from '../../core/redact';
import { ImportQueries } from '../../engine/use-cases/queries/import-queries';
import { esc } from '../../protocols/slack/block-kit';
import { noteMessage } from './import.blocks';
import { MappingMessages } from './mapping-messages';
import { SlackApi, Thread } from '../../protocols/slack/slack-api';
import type { SlackFile } from './slack-file.schema';
import { SlackFilesRepository } from './slack-files.repository';
import { SlackAccess } from './slack-access';
import { notLinkedText, refusalText } from './slack-permissions';
import { TeamWorkspaces } from './team-workspaces';

/** How long a refusal waits for the mapping pages being posted to be stored, to draw them back. */
const POSTING_WAIT_MS = 30_000;

/** Where a click came from. */
export interface ActionContext {
  /** The team whose message was clicked (the app's installation). */
  teamId: string;
  userId: string;
  /** The clicker's own team: another one than `teamId` for a guest of a Slack Connect channel. */
  userTeamId: string;
  channel: string;
  /** The message that holds the clicked element, and its thread. */
  messageTs?: string;
  threadTs?: string;
  importId: string;
  /** When the person clicked (Slack's action_ts), so changes apply in the order they were made. */
  at?: Date;
}

/**
 * What a click asks: `confirm` (a button that changes the import), `choose` (a select: a refusal also
 * redraws the mapping, so the clicker's select shows the import's real value again), or nothing.
 */
export type Act = 'confirm' | 'choose' | null;

export interface Target {
  workspaceId: string;
  file: SlackFile | null;
  thread: Thread;
}

/**
 * Lets a click on an import's thread through: in the order one person's clicks came, only when the
 * workspace's rules allow it, and with its refusal or failure told where the person sees it.
 */
@Injectable()
export class ActionGuard {
  private readonly inFlight = new Map<string, Promise<void>>();

  private readonly log = new Logger('SlackActions');

  constructor(
    private readonly imports: ImportQueries,
    private readonly files: SlackFilesRepository,
    private readonly teams: TeamWorkspaces,
    private readonly slack: SlackApi,
    private readonly mapping: MappingMessages,
    private readonly access: SlackAccess,
  ) {}

  /**
   * Draws the mapping again as it is, so a refused person's select no longer shows their choice. The
   * click can come while the pages are still being posted, before their ts are stored: a refusal changes
   * nothing, so nothing else would redraw them afterwards. It waits for the ts (a few Slack calls away),
   * and gives up when they never come (the posting failed, and the thread says so).
   */
  private async drawAsItIs(file: SlackFile, workspaceId: string, importId: string): Promise<void> {
    let current: SlackFile | null = file;
    const until = Date.now() + POSTING_WAIT_MS;
    while (current && !current.mappingTs.length && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      current = await this.files.byImport(workspaceId, importId);
    }
    if (current?.mappingTs.length) {
      await this.mapping.refresh(current, await this.imports.get(workspaceId, importId));
    }
  }

  /**
   * One person's clicks on one import apply in the order they came: Slack acknowledges a click before it
   * is handled, so a type chosen just before Start must not lose the race to it (in this process; across
   * processes a change carries its click's time and a start re-validates the mapping it starts).
   */
  run(ctx: ActionContext, act: Act, run: (t: Target) => Promise<void>): Promise<void> {
    const before = this.inFlight.get(ctx.importId) ?? Promise.resolve();
    const mine = before.then(() => this.guardNow(ctx, act, run));
    const tail = mine.catch(() => undefined);
    this.inFlight.set(ctx.importId, tail);
    void tail.then(() => {
      if (this.inFlight.get(ctx.importId) === tail) this.inFlight.delete(ctx.importId);
    });
    return mine;
  }

  /**
   * Resolves the import's workspace and thread, and lets the click through only when the workspace's
   * rules allow the person `act`; a refused person alone is told why (ephemeral), and nothing changes.
   * A person's mistake or a failure is told in the thread.
   */
  private async guardNow(ctx: ActionContext, act: Act, run: (t: Target) => Promise<void>): Promise<void> {
    const workspaceId = await this.teams.of(ctx.teamId);
    if (!workspaceId) {
      const where = { channel: ctx.channel, threadTs: ctx.threadTs ?? ctx.messageTs };
      const text = notLinkedText(ctx.teamId);
      await this.slack.tryEphemeral(where, ctx.userId, text, 'that the team is not linked');
      return;
    }
    const file = await this.files.byImport(workspaceId, ctx.importId);
    const thread: Thread = file?.threadTs
      ? { channel: file.channel, threadTs: file.threadTs }
      : { channel: ctx.channel, threadTs: ctx.threadTs ?? ctx.messageTs };
    try {
      if (act) {
        const person = { userId: ctx.userId, teamId: ctx.userTeamId };
        const decision = await this.access.check(workspaceId, person, 'confirm', ctx.importId);
        if (!decision.allowed) {
          this.log.log(`refused ${ctx.userId} (team ${ctx.userTeamId}) on import ${ctx.importId}`);
          await this.slack.tryEphemeral(thread, ctx.userId, refusalText(decision), 'a refusal');
          if (act === 'choose' && file) await this.drawAsItIs(file, workspaceId, ctx.importId);
          return;
        }
      }
      await run({ workspaceId, file, thread });
    } catch (e) {
      if (isIntakeError(e)) {
        await this.slack.tryPost(thread, noteMessage(esc(e.message), ':warning:'), 'an error');
        return;
      }
      this.log.error(`Slack action on import ${ctx.importId} failed: ${redact((e as Error).message)}`);
      await this.slack.tryPost(
        thread,
        noteMessage('Something went wrong on my side. Please try again in a moment.', ':x:'),
        'an error',
      );
    }
  }
}
