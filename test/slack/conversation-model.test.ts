import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { ACTION } from '../../src/doors/slack/slack-ids';
import { waitForEnd } from '../support/intake-harness';
import { fixture } from './slack-requests';
import { slackControlsFor } from './slack-offers';
import {
  Conversation,
  TEAM,
  USER,
  World,
  choose,
  command,
  ids,
  mapping,
  press,
  share,
  startWorld,
} from './slack-world';

let w: World;

beforeAll(async () => {
  w = await startWorld('slack_conversation_model');
});
afterAll(() => w.close());

const BOB = 'UBOB';

/** A shared file with its type chosen, its mapping ready to start. */
async function proposed(csv: string | Buffer, name: string): Promise<Conversation> {
  const c = await mapping(w, await share(w, csv, { name }));
  await choose(w, c, ACTION.type, `type|${c.importId}`, 'clients');
  await w.slack.waitFor('the mapping redrawn as clients', () =>
    w.slack
      .callsOf('chat.update')
      .find((u) => u.args.ts === c.pages[0] && JSON.stringify(u.args.blocks).includes(ACTION.start)),
  );
  return c;
}

/** The summary posted in the thread of `c`, once it is there. */
function summaryOf(c: Conversation, pattern = /finished:/) {
  return w.slack.waitFor(`a summary matching ${pattern}`, () =>
    w.slack.posted().find((p) => p.thread === c.threadTs && pattern.test(p.text)),
  );
}

/** An import started from Slack, ended, with its summary in the thread. */
async function imported(csv: string, name: string): Promise<Conversation> {
  const c = await proposed(csv, name);
  await press(w, c, ACTION.start);
  await waitForEnd(w.h, c.importId);
  await summaryOf(c);
  return c;
}

/** Presses a "Yes, undo it" of an undo question posted in `channel`, answered at `path`. */
async function confirmUndo(importId: string, path: string, channel: string, blockId = 'undo') {
  const payload = fixture<Record<string, unknown>>('block-actions.json', {
    userId: USER,
    teamId: TEAM,
    channel,
    messageTs: '1700000000.000900',
    threadTs: '1700000000.000900',
    responseUrl: `${w.slack.url}${path}`,
  });
  payload.actions = [
    fixture('action-button.json', {
      actionId: ACTION.undoConfirm,
      blockId,
      value: importId,
      actionTs: (Date.now() / 1000).toFixed(6),
    }),
  ];
  expect((await w.sender.interaction(payload)).status).toBe(200);
  return w.slack.waitFor(`the undo answer at ${path}`, () => w.slack.responses.find((r) => r.path === path));
}

async function recordsOf(importId: string): Promise<number> {
  const db = w.h.app.context.get<Connection>(getConnectionToken()).db!;
  return db.collection('records').countDocuments({ importId });
}

/** Every element of some recorded blocks with this action_id. */
function elementsOf(blocks: unknown, actionId: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if ((node as { action_id?: unknown }).action_id === actionId)
        found.push(node as Record<string, unknown>);
      Object.values(node).forEach(walk);
    }
  };
  walk(blocks);
  return found;
}

test('the buttons come from the offers, named by their labels; cancel and undo ask first in a dialog', async () => {
  const c = await proposed('First Name,Email\nAna,ana@dialog.example.com\n', 'dialog.csv');
  const page = w.slack
    .callsOf('chat.update')
    .filter((u) => u.args.ts === c.pages[0])
    .pop()!;
  expect(slackControlsFor([page])).toEqual(['start', 'dry_run', 'change_type', 'change_columns', 'cancel']);
  const [cancel] = elementsOf(page.args.blocks, ACTION.cancel);
  expect(cancel).toMatchObject({
    text: { text: 'Cancel import' },
    style: 'danger',
    confirm: { text: { text: 'Cancel the import of dialog.csv? Nothing has been written yet.' } },
  });

  await press(w, c, ACTION.start);
  await waitForEnd(w.h, c.importId);
  const summary = await summaryOf(c);
  expect(slackControlsFor([summary])).toEqual(['undo']);
  const [undo] = elementsOf(JSON.parse(summary.blocksJson), ACTION.undo);
  expect(undo).toMatchObject({ text: { text: 'Undo import' }, style: 'danger' });
  expect(JSON.stringify((undo as { confirm: unknown }).confirm)).toContain(
    'Undo the import of dialog.csv? The records it created are deleted',
  );
  // Once it ended, the progress message offers nothing more (the summary does).
  const bar = w.slack
    .posted()
    .find((p) => p.thread === c.threadTs && /^Import (queued|running)/.test(p.text))!;
  await w.slack.waitFor('the bar ended', () =>
    w.slack.callsOf('chat.update').find((u) => u.args.ts === bar.ts && /100%/.test(String(u.args.text))),
  );
  const ended = w.slack
    .callsOf('chat.update')
    .filter((u) => u.args.ts === bar.ts)
    .pop()!;
  expect(slackControlsFor([ended])).toEqual([]);
});

test('the thread names who started, dry ran, ran for real and cancelled', async () => {
  const c = await proposed('First Name,Email\nAna,ana@named.example.com\n', 'named.csv');
  await press(w, c, ACTION.dryRun, { user: USER });
  await w.slack.waitFor('the dry run named', () =>
    w.slack
      .posted()
      .find((p) => p.thread === c.threadTs && p.blocksJson.includes(`<@${USER}> started a dry run.`)),
  );
  const dry = await summaryOf(c, /^Dry run of/);
  expect(slackControlsFor([dry])).toEqual(['run_for_real']);
  await press(w, c, ACTION.runForReal, { messageTs: dry.ts });
  await w.slack.waitFor('the real run named', () =>
    w.slack
      .posted()
      .find((p) => p.thread === c.threadTs && p.blocksJson.includes(`<@${USER}> started it for real.`)),
  );

  const started = await proposed('First Name,Email\nBo,bo@named.example.com\n', 'started.csv');
  await press(w, started, ACTION.start);
  await w.slack.waitFor('the start named', () =>
    w.slack
      .posted()
      .find((p) => p.thread === started.threadTs && p.blocksJson.includes(`<@${USER}> started it.`)),
  );

  const cancelled = await proposed('First Name,Email\nCy,cy@named.example.com\n', 'cancelled.csv');
  await press(w, cancelled, ACTION.cancel);
  const note = await w.slack.waitFor('the cancel named', () =>
    w.slack
      .posted()
      .find((p) => p.thread === cancelled.threadTs && p.text.includes(`<@${USER}> cancelled it.`)),
  );
  expect(note.channel).toBe(cancelled.channel);
  expect((await w.h.imports.get(w.h.workspaceId, cancelled.importId)).status).toBe('cancelled');
});

test('two "Yes, undo it" at once: one undo, one result; the other is told it was already done', async () => {
  const c = await imported(
    'First Name,Email\nAna,ana@twice.example.com\nBo,bo@twice.example.com\n',
    'twice.csv',
  );
  expect(await recordsOf(c.importId)).toBe(2);
  const [a, b] = await Promise.all([
    confirmUndo(c.importId, `/respond/twice-a-${c.importId}`, c.channel),
    confirmUndo(c.importId, `/respond/twice-b-${c.importId}`, c.channel),
  ]);
  const answers = [a, b];
  const results = answers.filter((r) => r.body.replace_original === true);
  expect(results).toHaveLength(1);
  expect(String(results[0]!.body.text)).toContain('rolled back: 2 records deleted, 0 restored, 0 kept');
  const second = answers.find((r) => r.body.replace_original !== true)!;
  // Told beside the question, never in place of the first answer's result.
  expect(second.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  expect(String(second.body.text)).toMatch(/already undone|being undone now/);
  expect(await recordsOf(c.importId)).toBe(0);

  // A third, after it is done: the same answer, with the result.
  const late = await confirmUndo(c.importId, `/respond/twice-c-${c.importId}`, c.channel);
  expect(late.body.replace_original).toBe(false);
  expect(String(late.body.text)).toContain(
    `Import ${c.importId} was already undone: 2 records deleted, 0 restored, 0 kept`,
  );
  // The thread is told once.
  await w.slack.waitFor('the thread told', () =>
    w.slack.posted().find((p) => p.thread === c.threadTs && /undid the import/.test(p.text)),
  );
  expect(
    w.slack.posted().filter((p) => p.thread === c.threadTs && /undid the import/.test(p.text)),
  ).toHaveLength(1);
  const view = await w.h.imports.get(w.h.workspaceId, c.importId);
  expect(view.history.filter((x) => x.act === 'undo')).toHaveLength(1);
});

test("an undo made with the slash command is told in the import's thread, with who and the result", async () => {
  const c = await imported('First Name,Email\nAna,ana@cmd.example.com\nBo,bo@cmd.example.com\n', 'cmd.csv');
  const dm = ids().channel;
  const res = await command(w, `undo ${c.importId}`, dm);
  expect(JSON.stringify(await res.json())).toContain(ACTION.undoConfirm);
  const answer = await confirmUndo(c.importId, `/respond/cmd-${c.importId}`, dm);
  expect(String(answer.body.text)).toContain('rolled back: 2 records deleted');
  const told = await w.slack.waitFor('the thread told of the undo', () =>
    w.slack.posted().find((p) => p.thread === c.threadTs && /undid the import/.test(p.text)),
  );
  expect(told.channel).toBe(c.channel);
  expect(told.text).toBe(
    `<@${USER}> undid the import of cmd.csv with /intake undo: 2 records deleted, 0 restored, 0 kept (changed since).`,
  );
  // The same command again says it was already done, by whom, and changes nothing.
  const again = (await (await command(w, `undo ${c.importId}`, dm)).json()) as { text: string };
  expect(again.text).toContain(`was already undone by <@${USER}>: 2 records deleted`);
});

test("the summary's Undo button, once its dialog is confirmed, undoes and tells the thread it came from the button", async () => {
  const c = await imported('First Name,Email\nAna,ana@btn.example.com\n', 'btn.csv');
  const path = `/respond/btn-${c.importId}`;
  await press(w, c, ACTION.undo, { user: USER, responseUrl: `${w.slack.url}${path}` });
  const answer = await w.slack.waitFor('the undo answer', () =>
    w.slack.responses.find((r) => r.path === path),
  );
  expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  const told = await w.slack.waitFor('the thread told of the undo', () =>
    w.slack.posted().find((p) => p.thread === c.threadTs && /undid the import/.test(p.text)),
  );
  expect(told.text).toContain('with the Undo import button: 1 records deleted');
  // Someone else's undo of it is refused, as before.
  const bobs = `/respond/btn-bob-${c.importId}`;
  await press(w, c, ACTION.undo, { user: BOB, responseUrl: `${w.slack.url}${bobs}` });
  const refused = await w.slack.waitFor('the refusal', () => w.slack.responses.find((r) => r.path === bobs));
  expect(String(refused.body.text)).not.toContain('undone');
});

test('the skipped rows are explained in full: the duplicates and the other reasons add up to the skipped count', async () => {
  await imported('First Name,Email\nAna,ana@sum.example.com\nBo,bo@sum.example.com\n', 'sum-first.csv');
  const csv = [
    'First Name,Email',
    'Ana,ana@sum.example.com',
    'Bo,bo@sum.example.com',
    'Dee,dee@sum.example.com',
    'Dee,dee@sum.example.com',
    'Eve,eve@sum.example.com',
    'Eve,eve@sum.example.com',
    'Fay,fay@bad',
    'Gus,gus@bad',
    'Hal,hal@bad',
    'Ivy,',
    'Jo,jo@sum.example.com,extra',
  ].join('\n');
  const c = await proposed(`${csv}\n`, 'sum-second.csv');
  await press(w, c, ACTION.start);
  const summary = await summaryOf(c, /finished: 11 rows read, 2 imported, 0 updated, 0 unchanged, 9 skipped/);
  const blocks = JSON.parse(summary.blocksJson) as { text?: { text: string } }[];
  const line = /Skipped: ([^\n]*)\./.exec(blocks[0]!.text!.text)?.[1] ?? '';
  expect(line).toBe('invalid email (3), already exists (2), duplicate of row N (2), other reasons (2)');
  const sum = [...line.matchAll(/\((\d+)\)/g)].reduce((n, m) => n + Number(m[1]), 0);
  expect(sum).toBe(9);
  expect(summary.blocksJson).toContain('2 rows were skipped because their records already exist.');
  expect(slackControlsFor([summary])).toEqual(['undo', 'update_existing', 'download_report']);

  // "Download the report" puts the report in the thread again, for whoever asks.
  const reports = () =>
    [...w.slack.uploads.values()].filter(
      (u) => u.filename === 'skipped-rows-sum-second.csv' && u.threadTs === c.threadTs && u.bytes,
    );
  await w.slack.waitFor('the report with the summary', () => reports().length === 1);
  await press(w, c, ACTION.report, { user: BOB, messageTs: summary.ts });
  await w.slack.waitFor('the report again', () => reports().length === 2);
  expect(reports()[1]!.bytes!.toString('utf8')).toContain('already exists');
});

test('a failed import offers Retry; the retry is named in the thread and runs again', async () => {
  const head = 'First Name,Email\nAna,ana@retry.example.com\nBea,bea@retry.example.com\n';
  const tail = Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 10, 0, 0, 7]);
  const c = await proposed(Buffer.concat([Buffer.from(head), tail]), 'retry.csv');
  await press(w, c, ACTION.start);
  expect((await waitForEnd(w.h, c.importId)).status).toBe('failed');
  const failed = await summaryOf(c, /failed/);
  expect(slackControlsFor([failed])).toContain('retry');
  await press(w, c, ACTION.retry, { messageTs: failed.ts });
  await w.slack.waitFor('the retry named', () =>
    w.slack.posted().find((p) => p.thread === c.threadTs && p.text.startsWith(`<@${USER}> retried it.`)),
  );
  const view = await w.h.imports.get(w.h.workspaceId, c.importId);
  expect(view.history.map((a) => a.act)).toContain('retry');
});
