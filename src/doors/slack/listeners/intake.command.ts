import type { App } from '@slack/bolt';
import type { IntakeCommand } from '../intake-command';

/** The slash command answers the person only (ephemeral); a template upload follows the answer. */
export function registerIntakeCommand(app: App, name: string, command: IntakeCommand): void {
  app.command(name, async ({ ack, command: cmd, respond }) => {
    const reply = await command.run({
      text: cmd.text ?? '',
      teamId: cmd.team_id,
      channelId: cmd.channel_id,
      userId: cmd.user_id,
    });
    await ack({ response_type: 'ephemeral', text: reply.response.text, blocks: reply.response.blocks });
    const followUp = reply.after ? await reply.after() : null;
    if (followUp) await respond({ response_type: 'ephemeral', text: followUp.text, blocks: followUp.blocks });
  });
}
