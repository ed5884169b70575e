import type { types } from '@slack/bolt';

export type KnownBlock = types.KnownBlock;
export type PlainTextOption = types.PlainTextOption;
/** What a section may carry at its right: a button or a select. */
export type Accessory = types.Button | types.StaticSelect;

/** Slack's Block Kit limits that Intake's messages must stay within. */
export const LIMITS = {
  blocksPerMessage: 50,
  optionsPerSelect: 100,
  sectionText: 3000,
  optionText: 75,
  headerText: 150,
  placeholderText: 150,
  buttonText: 75,
  contextText: 2000,
} as const;

/** A message as chat.postMessage / chat.update take it: blocks plus the notification text. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Cuts a text to `max` characters, ending with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** File content shown in mrkdwn: escaped, on one line, without characters that would break formatting. */
export function literal(text: string, max: number): string {
  return esc(clip(text.replace(/[\r\n\t]+/g, ' ').replace(/[`*_~]/g, ''), max));
}

export function mrkdwnSection(text: string, blockId?: string, accessory?: Accessory): KnownBlock {
  return {
    type: 'section',
    ...(blockId ? { block_id: blockId } : {}),
    text: { type: 'mrkdwn', text: clip(text, LIMITS.sectionText) },
    ...(accessory ? { accessory } : {}),
  };
}

export function button(
  actionId: string,
  text: string,
  value: string,
  style?: 'primary' | 'danger',
): types.Button {
  return {
    type: 'button',
    action_id: actionId,
    text: plain(text, LIMITS.buttonText),
    value,
    ...(style ? { style } : {}),
  };
}

/** A select of `options`, showing `initial` when it is one of them. */
export function staticSelect(
  actionId: string,
  placeholder: string,
  options: PlainTextOption[],
  initial?: PlainTextOption,
): types.StaticSelect {
  return {
    type: 'static_select',
    action_id: actionId,
    placeholder: plain(placeholder),
    options,
    ...(initial ? { initial_option: initial } : {}),
  };
}

export function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, LIMITS.contextText) }] };
}

export function option(text: string, value: string): PlainTextOption {
  return { text: { type: 'plain_text', text: clip(text, LIMITS.optionText) }, value };
}

export function plain(text: string, max: number = LIMITS.placeholderText) {
  return { type: 'plain_text' as const, text: clip(text, max), emoji: true };
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}
