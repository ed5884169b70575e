import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import type { Connection, Model } from 'mongoose';
import { SlackFile } from '../../src/doors/slack/slack-file.schema';
import { ACTION, NO_FIELD } from '../../src/doors/slack/slack-ids';
import { START_MESSAGE } from '../../src/engine/imports/import-view';
import { JobQueues } from '../../src/engine/queue/job-queues';
import { ContactRecord } from '../../src/engine/records/record.schema';
import { WorkspacesService } from '../../src/engine/workspaces/workspaces.service';
import { importCsv, waitForEnd } from '../support/intake-harness';
import { fixture } from '../slack/slack-requests';
import {
  Conversation,
  TEAM,
  USER,
  World,
  blockOf,
  command,
  interact,
  mapping,
  press,
  share,
  startWorld,
  textsIn,
} from '../slack/slack-world';

/**
 * Who may do what in the Slack door, proven through the real door: signed events, clicks and slash
 * commands against a running Intake, answers read from the Slack stand-in, effects read from MongoDB
 * and the Bull queue. USER (Alice) shares the files; Bob is another member of the same Slack team;
 * Eve is a guest from another organization in a Slack Connect channel.
 */
const ALICE = USER;
const BOB = 'UBOB';
const ADMIN = 'UADMIN';
const EVE = 'UEVE';
const GUEST_TEAM = 'T0GUEST';

let w: World;
let workspaces: WorkspacesService;
let ws: string;

beforeAll(async () => {
  w = await startWorld('sec_slack_authz');
  workspaces = w.h.app.context.get(WorkspacesService);
  ws = w.h.workspaceId;
  await workspaces.addSlackAdmin(ws, ADMIN);
});
afterAll(() => w.close());

let seq = 0;
/** A small CSV whose emails are unique to this file and call, so imports never collide. */
function people(): string {
  seq += 1;
  return `First Name,Email,Notes\nAna,ana${seq}@authz.example.com,VIP\nBob,bob${seq}@authz.example.com,\n`;
}

/** The parts of an import a refused click must leave exactly as they were. */
async function stateOf(importId: string) {
  const v = await w.h.imports.get(ws, importId);
  const file = await slackFiles().findOne({ importId }).lean();
  return {
    status: v.status,
    type: v.type,
    mappingVersion: v.mappingVersion,
    fields: v.columns.map((c) => c.field),
    onDuplicate: file?.onDuplicate,
    queued: await w.h.app.context.get(JobQueues).isPending('run-import', importId),
  };
}

function slackFiles(): Model<SlackFile> {
  return w.h.app.context.get<Model<SlackFile>>(getModelToken(SlackFile.name));
}

function recordsOf(importId: string): Promise<number> {
  return w.h.app.context
    .get<Model<ContactRecord>>(getModelToken(ContactRecord.name))
    .countDocuments({ importId });
}

/** Files stored in GridFS (the uploads bucket) under this name. */
function gridFsFilesNamed(name: string): Promise<number> {
  const connection = w.h.app.context.get<Connection>(getConnectionToken());
  return connection.collection('uploads.files').countDocuments({ filename: name });
}

async function importsNamed(name: string) {
  return (await w.h.imports.list(ws, 100)).filter((i) => i.fileName === name);
}

/** Waits for the ephemeral message `user` gets in the conversation's channel, and returns its text. */
async function ephemeralFor(user: string, channel: string, count = 1): Promise<string[]> {
  const told = await w.slack.waitFor(`an ephemeral answer to ${user}`, () => {
    const mine = w.slack.ephemerals().filter((e) => e.user === user && e.channel === channel);
    return mine.length >= count ? mine : null;
  });
  return told.map((e) => e.text);
}

async function conversation(): Promise<Conversation> {
  return mapping(w, await share(w, people(), { name: `authz-${seq + 1}.csv` }));
}

interface As {
  user?: string;
  userTeam?: string;
}

/** Chooses a value in one of the thread's selects, as `as`. */
function select(c: Conversation, actionId: string, blockId: string, value: string, as: As) {
  return interact(w, c, { kind: 'select', actionId, blockId, value, ...as });
}

const notesTo = (c: Conversation, value: string, as: As) =>
  select(c, ACTION.column, `col|${c.importId}|2`, value, as);
const typeTo = (c: Conversation, value: string, as: As) =>
  select(c, ACTION.type, `type|${c.importId}`, value, as);
const duplicatesTo = (c: Conversation, value: string, as: As) =>
  select(c, ACTION.duplicates, `dup|${c.importId}`, value, as);

const refusedBy = (owner: string) => `Only <@${owner}> or an admin can do that.`;

describe('sharer mode: only the sharer and the admins confirm', () => {
  beforeAll(() => workspaces.setSlackConfirm(ws, 'sharer'));
  afterAll(() => workspaces.setSlackConfirm(ws, 'team'));

  test("another member's column, type and duplicates changes are refused and change nothing", async () => {
    const c = await conversation();
    const before = await stateOf(c.importId);
    expect((await notesTo(c, NO_FIELD, { user: BOB })).status).toBe(200);
    expect((await typeTo(c, 'leads', { user: BOB })).status).toBe(200);
    expect((await duplicatesTo(c, 'update', { user: BOB })).status).toBe(200);
    expect(await ephemeralFor(BOB, c.channel, 3)).toEqual([
      refusedBy(ALICE),
      refusedBy(ALICE),
      refusedBy(ALICE),
    ]);
    expect(await stateOf(c.importId)).toEqual(before);
    const told = w.slack.ephemerals().filter((e) => e.user === BOB && e.channel === c.channel);
    expect(told.map((e) => e.thread)).toEqual([c.threadTs, c.threadTs, c.threadTs]);
    // The mapping is drawn again as it is, so Bob's select no longer shows his refused choice.
    const redrawn = await w.slack.waitFor('the mapping redrawn', () =>
      w.slack
        .callsOf('chat.update')
        .find((u) => u.args.ts === c.pages[0] && blockOf(u.args.blocks, `col|${c.importId}|2`)),
    );
    const notes = blockOf(redrawn.args.blocks, `col|${c.importId}|2`);
    expect(notes?.accessory?.initial_option?.value).toBe(before.fields[2] ?? NO_FIELD);
  });

  test("another member's change that comes before the mapping's messages are known is still drawn back", async () => {
    // Slack shows the first page while Intake waits for its answer: hold that answer, so Bob's click
    // arrives before Intake has stored which message to redraw.
    const release = w.slack.hold('chat.postMessage');
    const s = await share(w, people(), { name: `authz-${seq}.csv` });
    const sent = await w.slack.waitFor('the mapping message sent', () =>
      w.slack
        .callsOf('chat.postMessage')
        .find(
          (p) =>
            p.args.channel === s.channel && JSON.stringify(p.args.blocks ?? []).includes('intake_column'),
        ),
    );
    const importId = /"type\|(imp_[^"]+)"/.exec(JSON.stringify(sent.args.blocks))?.[1] ?? '';
    const c: Conversation = { ...s, importId, pages: [String(sent.args._ts)] };
    const before = await stateOf(importId);
    expect((await notesTo(c, NO_FIELD, { user: BOB })).status).toBe(200);
    expect(await ephemeralFor(BOB, c.channel)).toEqual([refusedBy(ALICE)]);
    release();
    const redrawn = await w.slack.waitFor('the mapping redrawn', () =>
      w.slack
        .callsOf('chat.update')
        .find((u) => u.args.ts === c.pages[0] && blockOf(u.args.blocks, `col|${importId}|2`)),
    );
    const notes = blockOf(redrawn.args.blocks, `col|${importId}|2`);
    expect(notes?.accessory?.initial_option?.value).toBe(before.fields[2] ?? NO_FIELD);
    expect(await stateOf(importId)).toEqual(before);
  });

  test("another member's start, dry run and cancel are refused: still awaiting its mapping, nothing queued", async () => {
    const c = await conversation();
    const before = await stateOf(c.importId);
    await press(w, c, ACTION.start, { user: BOB });
    await press(w, c, ACTION.dryRun, { user: BOB });
    await press(w, c, ACTION.cancel, { user: BOB });
    expect(await ephemeralFor(BOB, c.channel, 3)).toEqual([
      refusedBy(ALICE),
      refusedBy(ALICE),
      refusedBy(ALICE),
    ]);
    expect(await stateOf(c.importId)).toEqual(before);
    expect(before).toMatchObject({ status: 'awaiting_mapping', queued: false });
    expect(textsIn(w, c.channel)).not.toContain(START_MESSAGE);
  });

  test("an admin's change and start go through, and the import records who started it", async () => {
    const c = await conversation();
    await notesTo(c, NO_FIELD, { user: ADMIN });
    await waitUntil(async () => (await w.h.imports.get(ws, c.importId)).columns[2]?.field === null);
    await press(w, c, ACTION.start, { user: ADMIN });
    await w.slack.waitFor('the start sentence', () => textsIn(w, c.channel).includes(START_MESSAGE));
    expect((await waitForEnd(w.h, c.importId, 60_000, ws)).counts.imported).toBe(2);
    expect((await w.h.imports.origin(ws, c.importId)).origin).toMatchObject({
      user: ALICE,
      startedBy: ADMIN,
    });
    expect(w.slack.ephemerals().filter((e) => e.channel === c.channel)).toEqual([]);
  });

  test("the sharer's own cancel goes through", async () => {
    const c = await conversation();
    await press(w, c, ACTION.cancel, { user: ALICE });
    await waitUntil(async () => (await w.h.imports.get(ws, c.importId)).status === 'cancelled');
  });

  test("Slack's own workspace admins count only when the workspace trusts them", async () => {
    w.slack.slackAdmins.add('UBOSS');
    const c = await conversation();
    await press(w, c, ACTION.cancel, { user: 'UBOSS' });
    expect(await ephemeralFor('UBOSS', c.channel)).toEqual([refusedBy(ALICE)]);
    expect((await stateOf(c.importId)).status).toBe('awaiting_mapping');

    await workspaces.setSlackTrustWorkspaceAdmins(ws, true);
    try {
      await press(w, c, ACTION.cancel, { user: 'UBOSS' });
      await waitUntil(async () => (await w.h.imports.get(ws, c.importId)).status === 'cancelled');
      expect(w.slack.callsOf('users.info').some((call) => call.args.user === 'UBOSS')).toBe(true);
    } finally {
      await workspaces.setSlackTrustWorkspaceAdmins(ws, false);
    }
  });
});

describe('a Slack Connect guest of another organization', () => {
  for (const mode of ['team', 'sharer'] as const) {
    test(`can never change, start or cancel (${mode} mode)`, async () => {
      await workspaces.setSlackConfirm(ws, mode);
      try {
        const c = await conversation();
        const before = await stateOf(c.importId);
        const guest = { user: EVE, userTeam: GUEST_TEAM };
        await notesTo(c, NO_FIELD, guest);
        await press(w, c, ACTION.start, guest);
        await press(w, c, ACTION.cancel, guest);
        expect(await ephemeralFor(EVE, c.channel, 3)).toEqual([
          refusedBy(ALICE),
          refusedBy(ALICE),
          refusedBy(ALICE),
        ]);
        expect(await stateOf(c.importId)).toEqual(before);
      } finally {
        await workspaces.setSlackConfirm(ws, 'team');
      }
    });
  }

  test('is refused even with the user id of an admin', async () => {
    const c = await conversation();
    const before = await stateOf(c.importId);
    await press(w, c, ACTION.start, { user: ADMIN, userTeam: GUEST_TEAM });
    expect(await ephemeralFor(ADMIN, c.channel)).toEqual([refusedBy(ALICE)]);
    expect(await stateOf(c.importId)).toEqual(before);
  });
});

describe('team mode (the default)', () => {
  test('another member of the team may confirm', async () => {
    const c = await conversation();
    await press(w, c, ACTION.start, { user: BOB });
    await w.slack.waitFor('the start sentence', () => textsIn(w, c.channel).includes(START_MESSAGE));
    await waitForEnd(w.h, c.importId, 60_000, ws);
    expect((await w.h.imports.origin(ws, c.importId)).origin).toMatchObject({ startedBy: BOB });
  });
});

/** Shares a file as Alice, starts it as `starter`, and waits until its records are written. */
async function finishedSlackImport(starter = ALICE): Promise<Conversation> {
  const c = await conversation();
  await press(w, c, ACTION.start, { user: starter });
  const done = await waitForEnd(w.h, c.importId, 60_000, ws);
  expect(done.status).toBe('completed');
  return c;
}

async function reply(text: string, user: string, teamId = TEAM) {
  const res = await command(w, text, undefined, { user, teamId });
  expect(res.status).toBe(200);
  return (await res.json()) as { text: string; blocks?: unknown[] };
}

/** Presses the undo confirmation as `user`, as if they had the button, and returns the answer. */
async function confirmUndo(importId: string, user: string, userTeam = TEAM) {
  const path = `/respond/undo-${importId}-${user}`;
  const payload = fixture<Record<string, unknown>>('block-actions.json', {
    userId: user,
    teamId: TEAM,
    channel: 'CUNDO',
    messageTs: '1700000000.000900',
    threadTs: '1700000000.000900',
    responseUrl: `${w.slack.url}${path}`,
  });
  (payload.user as { team_id: string }).team_id = userTeam;
  payload.actions = [
    fixture('action-button.json', {
      actionId: ACTION.undoConfirm,
      blockId: 'undo',
      value: importId,
      actionTs: (Date.now() / 1000).toFixed(6),
    }),
  ];
  expect((await w.sender.interaction(payload)).status).toBe(200);
  const answer = await w.slack.waitFor('the undo answer', () =>
    w.slack.responses.find((r) => r.path === path),
  );
  return String(answer.body.text);
}

describe('undo deletes data: only the starter and admins', () => {
  test("another member's undo is refused, by command and by the button, and every record stays", async () => {
    const c = await finishedSlackImport(ALICE);
    expect(await recordsOf(c.importId)).toBe(2);
    expect((await reply(`undo ${c.importId}`, BOB)).text).toBe(refusedBy(ALICE));
    expect(await confirmUndo(c.importId, BOB)).toBe(refusedBy(ALICE));
    expect(await confirmUndo(c.importId, EVE, GUEST_TEAM)).toBe(refusedBy(ALICE));
    expect((await w.h.imports.get(ws, c.importId)).status).toBe('completed');
    expect(await recordsOf(c.importId)).toBe(2);
  });

  test('the sharer who did not start it may not undo it; the starter may', async () => {
    const c = await finishedSlackImport(BOB);
    expect(await confirmUndo(c.importId, ALICE)).toBe(refusedBy(BOB));
    expect(await recordsOf(c.importId)).toBe(2);
    expect(await confirmUndo(c.importId, BOB)).toContain('rolled back: 2 records deleted');
    expect((await w.h.imports.get(ws, c.importId)).status).toBe('rolled_back');
  });

  test('an import from another door is undone from Slack by admins only', async () => {
    const done = await importCsv(w.h, people(), 'clients');
    expect((await reply(`undo ${done.id}`, ALICE)).text).toBe('Only an admin can do that.');
    expect(await confirmUndo(done.id, ALICE)).toBe('Only an admin can do that.');
    expect(await recordsOf(done.id)).toBe(2);
    expect(await confirmUndo(done.id, ADMIN)).toContain('rolled back: 2 records deleted');
  });
});

describe('status is scoped', () => {
  test("a member sees their own Slack imports; an admin the workspace's; other doors are not listed", async () => {
    const alices = await conversation();
    const bobs = await mapping(w, await share(w, people(), { name: 'bobs.csv', user: BOB }));
    const fromApi = await importCsv(w.h, people(), 'clients');

    const listed = (r: { blocks?: unknown[] }) => JSON.stringify(r.blocks ?? []);
    const alice = listed(await reply('status', ALICE));
    expect(alice).toContain(alices.importId);
    expect(alice).not.toContain(bobs.importId);
    expect(alice).not.toContain(fromApi.id);

    const admin = listed(await reply('status', ADMIN));
    expect(admin).toContain(alices.importId);
    expect(admin).toContain(bobs.importId);
    expect(admin).not.toContain(fromApi.id);

    expect((await reply(`status ${bobs.importId}`, ALICE)).text).toBe(refusedBy(BOB));
    expect((await reply(`status ${fromApi.id}`, ALICE)).text).toBe('Only an admin can do that.');
    expect(listed(await reply(`status ${fromApi.id}`, ADMIN))).toContain(fromApi.id);
  });
});

describe('teams that are not linked', () => {
  const NOT_LINKED = /not linked to an Intake workspace.*link-slack &lt;workspace&gt; T0STRANGER/;

  test('another installation of the app is told once and nothing is stored', async () => {
    const name = 'stranger.csv';
    const s = await share(w, people(), { name, teamId: 'T0STRANGER' });
    const notes = () => w.slack.posted().filter((p) => p.channel === s.channel && /not linked/.test(p.text));
    const told = await w.slack.waitFor('the not-linked note', () => notes()[0]);
    expect(told.text).toMatch(NOT_LINKED);
    // The message event of the same upload, and a retry of the first, are not answered again.
    const vars = { teamId: 'T0STRANGER', channel: s.channel, fileId: s.fileId, userId: ALICE };
    await w.sender.event(
      fixture('event-message-file-share.json', {
        ...vars,
        eventId: 'EvSTRANGERMSG',
        fileName: name,
        ts: s.threadTs,
      }),
    );
    await w.sender.event(fixture('event-file-shared.json', { ...vars, eventId: 'EvSTRANGERRETRY' }));
    await quiet();
    expect(notes()).toHaveLength(1);
    await expectNothingStored(s.fileId, name);
  });

  test("a Slack Connect guest's file shared into our channel is judged by the guest's team", async () => {
    for (const via of ['message', 'file_shared'] as const) {
      const name = `guest-${via}.csv`;
      const s = await share(w, people(), { name, user: EVE, userTeam: GUEST_TEAM, via });
      const told = await w.slack.waitFor('the not-linked note', () =>
        w.slack.posted().find((p) => p.channel === s.channel && /not linked/.test(p.text)),
      );
      expect(told.text).toContain(`link-slack &lt;workspace&gt; ${GUEST_TEAM}`);
      await quiet();
      await expectNothingStored(s.fileId, name);
    }
  });

  test("a guest's file whose details Slack does not give is never taken for the host team's", async () => {
    const name = 'guest-no-info.csv';
    w.slack.fail('files.info', { error: 'internal_error' });
    const s = await share(w, people(), { name, user: EVE, userTeam: GUEST_TEAM, via: 'file_shared' });
    await w.slack.waitFor('the failed files.info', () => w.slack.callsOf('files.info').length > 0);
    await quiet();
    await expectNothingStored(s.fileId, name);
  });

  test('the slash command of an unlinked team says how to link it, and lists nothing', async () => {
    const answer = await reply('status', ALICE, 'T0STRANGER');
    expect(answer.text).toMatch(NOT_LINKED);
    expect(JSON.stringify(answer.blocks ?? [])).not.toContain('imp_');
  });

  test('a click from an unlinked team changes nothing', async () => {
    const c = await conversation();
    const before = await stateOf(c.importId);
    const payload = fixture<Record<string, unknown>>('block-actions.json', {
      userId: EVE,
      teamId: 'T0STRANGER',
      channel: c.channel,
      messageTs: c.pages[0]!,
      threadTs: c.threadTs,
      responseUrl: `${w.slack.url}/respond/stranger`,
    });
    payload.actions = [
      fixture('action-button.json', {
        actionId: ACTION.start,
        blockId: `controls|${c.importId}`,
        value: c.importId,
        actionTs: (Date.now() / 1000).toFixed(6),
      }),
    ];
    expect((await w.sender.interaction(payload)).status).toBe(200);
    expect((await ephemeralFor(EVE, c.channel))[0]).toMatch(NOT_LINKED);
    expect(await stateOf(c.importId)).toEqual(before);
  });
});

async function expectNothingStored(fileId: string, name: string): Promise<void> {
  expect(await slackFiles().countDocuments({ fileId })).toBe(0);
  expect(w.slack.downloads).not.toContain(fileId);
  expect(await gridFsFilesNamed(name)).toBe(0);
  expect(await importsNamed(name)).toEqual([]);
}

/** Polls a condition on the database until it holds (no fixed sleep decides a result). */
async function waitUntil(probe: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error('timed out waiting for the database');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Waits until Intake has finished handling the events sent so far: the stand-in has seen no call for a
 * while. Used only before asserting that something did NOT happen.
 */
async function quiet(ms = 300): Promise<void> {
  let count = w.slack.calls.length;
  let since = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    if (w.slack.calls.length !== count) {
      count = w.slack.calls.length;
      since = Date.now();
    } else if (Date.now() - since >= ms) return;
  }
}
