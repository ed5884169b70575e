import { randomBytes } from 'node:crypto';
import { Harness, startHarness } from '../support/intake-harness';
import type { startApp } from '../../src/app/start';
import { SlackStandIn, StandInFile } from './slack-stand-in';
import { SlackSender, fixture } from './slack-requests';
import { Sink, startSink } from '../email/mail-support';

export const TEAM = 'T0INTAKE';
export const USER = 'UALICE';

/** A real Intake with Slack on, pointed at a Slack stand-in, and a sender of signed requests. */
export interface World {
  h: Harness;
  slack: SlackStandIn;
  sender: SlackSender;
  secret: string;
  close(): Promise<void>;
}

export async function startWorld(
  name: string,
  env: NodeJS.ProcessEnv = {},
  overrides: Parameters<typeof startApp>[1] = {},
): Promise<World> {
  const token = `xoxb-test-${randomBytes(8).toString('hex')}`;
  const secret = randomBytes(16).toString('hex');
  const slack = new SlackStandIn(token);
  await slack.start();
  const h = await startHarness(
    name,
    {
      SLACK_BOT_TOKEN: token,
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: slack.apiUrl,
      SLACK_PROGRESS_MS: '200',
      ...env,
    },
    overrides,
  );
  return {
    h,
    slack,
    sender: new SlackSender(`${h.url}/slack/events`, secret),
    secret,
    close: async () => {
      await h.close();
      await slack.close();
    },
  };
}

let seq = 0;

/** Fresh ids per test, so tests never see each other's messages. */
export function ids() {
  seq += 1;
  const n = `${Date.now().toString(36).toUpperCase()}${seq}`;
  return {
    channel: `C${n}`,
    fileId: `F${n}`,
    ts: `1700100${String(seq).padStart(3, '0')}.000100`,
    eventId: `Ev${n}`,
  };
}

export interface Shared {
  channel: string;
  fileId: string;
  threadTs: string;
}

/** Puts a file on the stand-in and sends the event(s) Slack sends for its upload. */
export async function share(
  w: World,
  bytes: string | Buffer,
  opts: {
    name?: string;
    via?: 'file_shared' | 'message';
    file?: Partial<StandInFile>;
    user?: string;
    teamId?: string;
    /** The sharer's own team, when it is not the app's (a Slack Connect guest). */
    userTeam?: string;
  } = {},
): Promise<Shared> {
  const id = ids();
  const name = opts.name ?? 'people.csv';
  const user = opts.user ?? USER;
  w.slack.addFile({
    id: id.fileId,
    name,
    bytes: Buffer.from(bytes),
    user,
    channel: id.channel,
    shareTs: id.ts,
    ...(opts.userTeam ? { userTeam: opts.userTeam } : {}),
    ...opts.file,
  });
  const vars = {
    teamId: opts.teamId ?? TEAM,
    channel: id.channel,
    fileId: id.fileId,
    userId: user,
    eventId: id.eventId,
  };
  const envelope =
    opts.via === 'message'
      ? fixture<{ event: Record<string, unknown> }>('event-message-file-share.json', {
          ...vars,
          fileName: name,
          ts: id.ts,
        })
      : fixture<{ event: Record<string, unknown> }>('event-file-shared.json', vars);
  // Slack marks a message of a Slack Connect guest with their team (file_shared does not say it).
  if (opts.userTeam && opts.via === 'message') envelope.event.user_team = opts.userTeam;
  const res = await w.sender.event(envelope);
  expect(res.status).toBe(200);
  return { channel: id.channel, fileId: id.fileId, threadTs: id.ts };
}

export interface Conversation extends Shared {
  importId: string;
  /** ts of the mapping messages, in order. */
  pages: string[];
}

/** Waits until the mapping message(s) of a shared file are in its thread. */
export async function mapping(w: World, s: Shared, pageCount = 1): Promise<Conversation> {
  const pages = await w.slack.waitFor('the mapping message', () => {
    const posts = w.slack
      .posted()
      .filter((p) => p.channel === s.channel && /intake_column/.test(p.blocksJson));
    return posts.length >= pageCount ? posts : null;
  });
  const importId = /"type\|(imp_[^"]+)"/.exec(pages[0]!.blocksJson)?.[1];
  if (!importId) throw new Error('no import id in the mapping message');
  return { ...s, importId, pages: pages.map((p) => p.ts) };
}

interface Click {
  actionId: string;
  blockId?: string;
  value: string;
  messageTs?: string;
  responseUrl?: string;
  actionTs?: string;
  /** Who clicks (USER by default) and their own team (TEAM by default; another for a Slack Connect guest). */
  user?: string;
  userTeam?: string;
}

const ACTION_FIXTURE = {
  button: 'action-button.json',
  select: 'action-static-select.json',
  checkboxes: 'action-checkboxes.json',
} as const;

/**
 * A block_actions payload for a button (value), a static select (selected value) or checkboxes (the
 * ticked values, comma-separated; empty: none ticked).
 */
export function interact(
  w: World,
  c: Conversation,
  click: Click & { kind: 'button' | 'select' | 'checkboxes' },
) {
  const action = fixture<Record<string, unknown>>(ACTION_FIXTURE[click.kind], {
    actionId: click.actionId,
    blockId: click.blockId ?? `controls|${c.importId}`,
    value: click.value,
    // When the person clicked, as Slack stamps it: changes apply in this order.
    actionTs: click.actionTs ?? (Date.now() / 1000).toFixed(6),
  });
  const payload = fixture<Record<string, unknown>>('block-actions.json', {
    userId: click.user ?? USER,
    teamId: TEAM,
    channel: c.channel,
    messageTs: click.messageTs ?? c.pages[0]!,
    threadTs: c.threadTs,
    responseUrl: click.responseUrl ?? `${w.slack.url}/respond/${c.importId}`,
  });
  (payload.user as { team_id: string }).team_id = click.userTeam ?? TEAM;
  if (click.kind === 'checkboxes')
    action.selected_options = click.value
      .split(',')
      .filter(Boolean)
      .map((value) => ({ text: { type: 'plain_text', text: value }, value }));
  payload.actions = [action];
  return w.sender.interaction(payload);
}

export function press(w: World, c: Conversation, actionId: string, extra: Partial<Click> = {}) {
  return interact(w, c, { kind: 'button', actionId, value: c.importId, ...extra });
}

export function choose(
  w: World,
  c: Conversation,
  actionId: string,
  blockId: string,
  value: string,
  messageTs?: string,
) {
  return interact(w, c, { kind: 'select', actionId, blockId, value, messageTs });
}

/** Texts of the messages posted in a channel, in order. */
export function textsIn(w: World, channel: string): string[] {
  return w.slack
    .posted()
    .filter((p) => p.channel === channel)
    .map((p) => p.text);
}

export function command(
  w: World,
  text: string,
  channel = ids().channel,
  as: { user?: string; teamId?: string } = {},
) {
  return w.sender.command(
    fixture<Record<string, string>>('slash-command.json', {
      teamId: as.teamId ?? TEAM,
      channel,
      userId: as.user ?? USER,
      text,
      responseUrl: `${w.slack.url}/respond/cmd`,
    }),
  );
}

interface AnyBlock {
  block_id?: string;
  text?: { text: string };
  accessory?: { initial_option?: { value: string }; options?: { text: { text: string } }[] };
}

/** A block of a recorded message by its block id. */
export function blockOf(blocks: unknown, blockId: string): AnyBlock | undefined {
  return Array.isArray(blocks) ? (blocks as AnyBlock[]).find((b) => b.block_id === blockId) : undefined;
}

/**
 * A world whose Intake also runs the SMTP door: mail to `*@domain` from `@example.com` is accepted and
 * answered into the returned sink, so one test drives Slack and email against the same workspace.
 */
export async function startWorldWithMail(
  name: string,
  domain: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ w: World; sink: Sink }> {
  const sink = await startSink();
  const w = await startWorld(name, {
    INTAKE_ROLES: 'api,smtp,worker',
    SMTP_PORT: '0',
    IMPORT_DOMAIN: domain,
    OUTBOUND_SMTP_URL: sink.url,
    INTAKE_ALLOWED_SENDERS: '@example.com',
    ...env,
  });
  const closeApp = w.close;
  const close = async () => {
    await closeApp();
    await sink.close();
  };
  return { w: { ...w, close }, sink };
}
