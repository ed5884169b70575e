import type { App, BlockAction } from '@slack/bolt';
import { isRecordType } from '../../../core/record-type';
import { isOnDuplicate } from '../../../engine/imports/import.schema';
import type { ActionContext } from '../action-guard';
import type { ImportActions } from '../import-actions';
import type { IntakeCommand } from '../intake-command';
import { ACTION, FORGET_LEARNED, NO_FIELD, parseBlockId } from '../slack-ids';

interface ClickedElement {
  action_id: string;
  block_id: string;
  value?: string;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
  action_ts?: string;
}

/** Slack's action_ts ("1700000100.000300", seconds) as a date; undefined when absent or malformed. */
export function actionTime(actionTs: string | undefined): Date | undefined {
  const seconds = Number(actionTs);
  return actionTs && Number.isFinite(seconds) && seconds > 0
    ? new Date(Math.round(seconds * 1000))
    : undefined;
}

function contextOf(body: BlockAction, action: ClickedElement): ActionContext | null {
  const importId = action.value ?? parseBlockId(action.block_id)?.importId;
  if (!importId) return null;
  const message = body.message as { ts?: string; thread_ts?: string } | undefined;
  const teamId = body.team?.id ?? '';
  return {
    teamId,
    userId: body.user.id,
    // Slack names the clicker's own team here; in a Slack Connect channel it is not the message's team.
    userTeamId: body.user.team_id ?? teamId,
    channel: body.channel?.id ?? body.container?.channel_id ?? '',
    messageTs: message?.ts ?? body.container?.message_ts,
    threadTs: message?.thread_ts,
    importId,
    at: actionTime(action.action_ts),
  };
}

/** Every button and select of Intake's messages: ack at once, then one call to the import actions. */
export function registerImportActions(app: App, actions: ImportActions, command: IntakeCommand): void {
  const on = (
    actionId: string,
    run: (ctx: ActionContext, el: ClickedElement, body: BlockAction) => Promise<void>,
  ) =>
    app.action<BlockAction>({ type: 'block_actions', action_id: actionId }, async ({ ack, body, action }) => {
      await ack();
      const el = action as unknown as ClickedElement;
      const ctx = contextOf(body, el);
      if (ctx) await run(ctx, el, body);
    });

  on(ACTION.type, async (ctx, el) => {
    const type = el.selected_option?.value;
    if (isRecordType(type)) await actions.changeType(ctx, type);
  });
  on(ACTION.sheet, async (ctx, el) => {
    const sheet = el.selected_option?.value;
    if (sheet) await actions.changeSheet(ctx, sheet);
  });
  on(ACTION.column, async (ctx, el) => {
    const index = parseBlockId(el.block_id)?.index;
    const value = el.selected_option?.value;
    if (index === undefined || !value) return;
    if (value === FORGET_LEARNED) return actions.forgetLearned(ctx, index);
    await actions.changeColumn(ctx, index, value === NO_FIELD ? null : value);
  });
  on(ACTION.duplicates, async (ctx, el) => {
    const value = el.selected_option?.value;
    if (isOnDuplicate(value)) await actions.setDuplicates(ctx, value);
  });
  on(ACTION.linkCompanies, (ctx, el) =>
    actions.setLinkCompanies(
      ctx,
      (el.selected_options ?? []).some((o) => o.value === 'link'),
    ),
  );
  on(ACTION.start, (ctx) => actions.start(ctx, false));
  on(ACTION.dryRun, (ctx) => actions.start(ctx, true));
  on(ACTION.runForReal, (ctx) => actions.runForReal(ctx));
  on(ACTION.cancel, (ctx) => actions.cancel(ctx));
  on(ACTION.retry, (ctx) => actions.retry(ctx));
  on(ACTION.report, (ctx) => actions.report(ctx));
  on(ACTION.template, (ctx) => actions.template(ctx));
  on(ACTION.updateExisting, (ctx) => actions.updateExisting(ctx));
  on(ACTION.showEmpty, (ctx) => actions.showEmpty(ctx));

  // The Undo button of summaries posted before Slack's dialog asked: it asks first, only the clicker.
  app.action<BlockAction>(
    { type: 'block_actions', action_id: ACTION.undoAsk },
    async ({ ack, body, action, respond }) => {
      await ack();
      const id = (action as unknown as ClickedElement).value ?? '';
      const teamId = body.team?.id ?? '';
      const msg = await command.undoAsk(
        { teamId, userId: body.user.id, userTeamId: body.user.team_id ?? teamId },
        id,
      );
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: msg.text,
        blocks: msg.blocks,
      });
    },
  );

  // The summary's Undo, confirmed in Slack's dialog: the answer goes to the clicker alone, and the
  // summary stays as it is (the thread is told the result).
  app.action<BlockAction>(
    { type: 'block_actions', action_id: ACTION.undo },
    async ({ ack, body, action, respond }) => {
      await ack();
      const id = (action as unknown as ClickedElement).value ?? '';
      const teamId = body.team?.id ?? '';
      const who = { teamId, userId: body.user.id, userTeamId: body.user.team_id ?? teamId };
      const { message } = await command.undo(who, id, 'button');
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: message.text,
        blocks: message.blocks,
      });
    },
  );

  // The undo question is an ephemeral message: it is answered through its response_url, in its place
  // unless the undo was already done (then beside it, so the first answer's result stays).
  app.action<BlockAction>(
    { type: 'block_actions', action_id: ACTION.undoConfirm },
    async ({ ack, body, action, respond }) => {
      await ack();
      const el = action as unknown as ClickedElement;
      const teamId = body.team?.id ?? '';
      const who = { teamId, userId: body.user.id, userTeamId: body.user.team_id ?? teamId };
      const via = el.block_id === 'undo-button' ? 'button' : 'command';
      const { message, replace } = await command.undo(who, el.value ?? '', via);
      await respond(
        replace
          ? { replace_original: true, text: message.text, blocks: message.blocks }
          : {
              response_type: 'ephemeral',
              replace_original: false,
              text: message.text,
              blocks: message.blocks,
            },
      );
    },
  );
  app.action<BlockAction>({ type: 'block_actions', action_id: ACTION.undoKeep }, async ({ ack, respond }) => {
    await ack();
    await respond({ replace_original: true, text: 'Kept it; nothing was rolled back.' });
  });
}
