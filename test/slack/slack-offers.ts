import { OFFER_KINDS, type OfferKind } from '../../src/engine/conversation/offers';
import { OFFER_ACTION } from '../../src/doors/slack/slack-ids';
import type { SlackCall } from './slack-stand-in';

/**
 * A message as the Slack stand-in records it: a call (chat.postMessage, chat.update, chat.postEphemeral),
 * an entry of `posted()`, or the body of an answer through a response_url.
 */
export type RecordedMessage = SlackCall | { blocksJson: string } | { blocks?: unknown };

function blocksOf(message: RecordedMessage): unknown {
  if ('blocksJson' in message) return JSON.parse(message.blocksJson) as unknown;
  if ('method' in message) return message.args.blocks;
  return message.blocks;
}

/** Every action_id of the interactive elements in some blocks, however deeply they sit. */
function actionIds(node: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const item of node) actionIds(item, into);
  else if (node && typeof node === 'object') {
    const id = (node as { action_id?: unknown }).action_id;
    if (typeof id === 'string') into.add(id);
    for (const value of Object.values(node)) actionIds(value, into);
  }
  return into;
}

/**
 * The offers of the conversation that some posted or updated Slack messages show as controls, in the
 * model's order: each kind has its own element (read back by its action_id).
 */
export function slackControlsFor(messages: readonly RecordedMessage[]): OfferKind[] {
  const ids = new Set<string>();
  for (const m of messages) actionIds(blocksOf(m), ids);
  return OFFER_KINDS.filter((kind) => ids.has(OFFER_ACTION[kind]));
}
