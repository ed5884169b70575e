import type { App } from '@slack/bolt';
import type { FileIntake } from '../file-intake';

interface FileSharedEvent {
  file_id: string;
  user_id: string;
  channel_id: string;
}

interface FileShareMessage {
  subtype?: string;
  files?: { id: string }[];
  user?: string;
  /** The sharer's own team; in a Slack Connect channel another organization's (then also `source_team`). */
  user_team?: string;
  team?: string;
  bot_id?: string;
  channel: string;
  ts: string;
  thread_ts?: string;
}

/**
 * One upload fires `file_shared` and a `message` with subtype `file_share`; both go to the same
 * intake, whose claim lets exactly one of them (or of Slack's retries) import the file. file_shared
 * names neither the sharer's team nor the sharing message: the intake asks files.info (`user_team`).
 */
export function registerFileEvents(app: App, intake: FileIntake): void {
  app.event('file_shared', async ({ event, body }) => {
    const e = event as unknown as FileSharedEvent;
    await intake.handle({
      teamId: String(body.team_id ?? ''),
      fileId: e.file_id,
      channel: e.channel_id,
      userId: e.user_id,
    });
  });

  app.event('message', async ({ event, body }) => {
    const e = event as unknown as FileShareMessage;
    if (e.subtype !== 'file_share') return;
    for (const file of e.files ?? []) {
      await intake.handle({
        teamId: String(body.team_id ?? ''),
        fileId: file.id,
        channel: e.channel,
        userId: e.user ?? '',
        userTeamId: e.user_team ?? e.team,
        botId: e.bot_id,
        messageTs: e.ts,
        threadTs: e.thread_ts,
      });
    }
  });
}
