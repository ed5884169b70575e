import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleTemplate } from '../../src/core/template/sample-template';
import { SlackFile } from '../../src/doors/slack/slack-file.schema';
import { STALE_CLAIM_MS, SlackFilesRepository } from '../../src/doors/slack/slack-files.repository';
import { ACTION } from '../../src/doors/slack/slack-ids';
import { WorkspacesService } from '../../src/engine/workspaces/workspaces.service';
import { importCsv } from '../support/intake-harness';
import { fixture } from './slack-requests';
import { TEAM, USER, World, command, ids, mapping, share, startWorld } from './slack-world';

let w: World;

beforeAll(async () => {
  w = await startWorld('slack_door', { INTAKE_MAX_FILE_BYTES: '100000' });
});
afterAll(() => w.close());

const csv = 'First Name,Email\nAna,ana@door.example.com\nBob,bob@door.example.com\n';

async function importsOf(fileName: string) {
  return (await w.h.imports.list(w.h.workspaceId, 100)).filter((i) => i.fileName === fileName);
}

const settle = () => new Promise((r) => setTimeout(r, 400));

describe('the signed endpoint', () => {
  test('answers the url_verification challenge', async () => {
    const res = await w.sender.event(
      fixture('url-verification.json', { challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  test('a bad signature gets 401 and nothing is done', async () => {
    const id = ids();
    w.slack.addFile({ id: id.fileId, name: 'forged.csv', bytes: Buffer.from(csv) });
    const envelope = fixture('event-file-shared.json', {
      teamId: TEAM,
      channel: id.channel,
      fileId: id.fileId,
      userId: USER,
      eventId: id.eventId,
    });
    const res = await w.sender.event(envelope, { secret: 'not-the-signing-secret' });
    expect(res.status).toBe(401);
    await settle();
    expect(w.slack.callsOf('files.info').some((c) => c.args.file === id.fileId)).toBe(false);
    expect(await importsOf('forged.csv')).toEqual([]);
  });

  test('a timestamp more than five minutes old gets 401, even correctly signed', async () => {
    const id = ids();
    w.slack.addFile({ id: id.fileId, name: 'replayed.csv', bytes: Buffer.from(csv) });
    const envelope = fixture('event-file-shared.json', {
      teamId: TEAM,
      channel: id.channel,
      fileId: id.fileId,
      userId: USER,
      eventId: id.eventId,
    });
    const res = await w.sender.event(envelope, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
    await settle();
    expect(w.slack.callsOf('files.info').some((c) => c.args.file === id.fileId)).toBe(false);
    expect(await importsOf('replayed.csv')).toEqual([]);
  });
});

describe('file shares', () => {
  test('file_shared, the message file_share and a retried delivery make exactly one import', async () => {
    const id = ids();
    w.slack.addFile({
      id: id.fileId,
      name: 'once.csv',
      bytes: Buffer.from(csv),
      channel: id.channel,
      shareTs: id.ts,
    });
    const vars = { teamId: TEAM, channel: id.channel, fileId: id.fileId, userId: USER, eventId: id.eventId };
    const shared = fixture('event-file-shared.json', vars);
    const message = fixture('event-message-file-share.json', {
      ...vars,
      eventId: `${id.eventId}m`,
      fileName: 'once.csv',
      ts: id.ts,
    });
    const responses = await Promise.all([
      w.sender.event(shared),
      w.sender.event(message),
      w.sender.event(shared, {
        headers: { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' },
      }),
      w.sender.event(message, {
        headers: { 'X-Slack-Retry-Num': '2', 'X-Slack-Retry-Reason': 'http_timeout' },
      }),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await mapping(w, { channel: id.channel, fileId: id.fileId, threadTs: id.ts });
    await settle();
    expect(await importsOf('once.csv')).toHaveLength(1);
    expect(w.slack.downloads.filter((d) => d === id.fileId)).toHaveLength(1);
    expect(w.slack.posted().filter((p) => p.channel === id.channel)).toHaveLength(1);
  });

  test('a claim left by a process that died before storing the file is taken over by its next event', async () => {
    const id = ids();
    w.slack.addFile({
      id: id.fileId,
      name: 'orphan.csv',
      bytes: Buffer.from(csv),
      channel: id.channel,
      shareTs: id.ts,
    });
    const vars = { teamId: TEAM, channel: id.channel, fileId: id.fileId, userId: USER, eventId: id.eventId };
    const claims = w.h.app.context.get<Model<SlackFile>>(getModelToken(SlackFile.name));
    const claim = {
      teamId: TEAM,
      fileId: id.fileId,
      workspaceId: w.h.workspaceId,
      channel: id.channel,
      threadTs: id.ts,
      userId: USER,
    };
    const files = w.h.app.context.get(SlackFilesRepository);
    expect(await files.claim(claim, new Date(Date.now() - STALE_CLAIM_MS - 60_000))).toBe(true);
    // A fresh claim is not taken over: that process may still be at work.
    expect(await files.claim(claim, new Date(Date.now() - STALE_CLAIM_MS + 60_000))).toBe(false);
    await w.sender.event(fixture('event-file-shared.json', vars));
    await mapping(w, { channel: id.channel, fileId: id.fileId, threadTs: id.ts });
    expect(await importsOf('orphan.csv')).toHaveLength(1);
    expect((await claims.findById(`${TEAM}:${id.fileId}`).lean())?.state).toBe('imported');
  });

  test('a message file_share alone works too, answering in its thread', async () => {
    const s = await share(w, csv, { name: 'from-message.csv', via: 'message' });
    const c = await mapping(w, s);
    expect(w.slack.posted().find((p) => p.ts === c.pages[0])?.thread).toBe(s.threadTs);
  });

  test('a file_shared whose sharing message Slack does not report gets a thread of its own', async () => {
    const s = await share(w, csv, { name: 'no-share.csv', file: { shareTs: undefined } });
    const reading = await w.slack.waitFor('the first answer', () =>
      w.slack.posted().find((p) => p.channel === s.channel && /Reading/.test(p.text)),
    );
    expect(reading.thread).toBeUndefined();
    const c = await mapping(w, s);
    expect(w.slack.posted().find((p) => p.ts === c.pages[0])?.thread).toBe(reading.ts);
  });

  test('a file over the size limit is refused in the thread before it is downloaded', async () => {
    const s = await share(w, csv, { name: 'huge.csv', file: { size: 5_000_000 } });
    const note = await w.slack.waitFor('the refusal', () =>
      w.slack.posted().find((p) => p.channel === s.channel && /larger than/.test(p.text)),
    );
    expect(note.thread).toBe(s.threadTs);
    expect(w.slack.downloads).not.toContain(s.fileId);
    expect(await importsOf('huge.csv')).toEqual([]);
  });

  test('a file that is neither CSV nor a workbook gets a short answer and no import', async () => {
    const s = await share(w, Buffer.from([0x89, 0x50, 0x4e, 0x47]), {
      name: 'photo.png',
      file: { mimetype: 'image/png', filetype: 'png' },
    });
    const note = await w.slack.waitFor('the answer', () =>
      w.slack
        .posted()
        .find((p) => p.channel === s.channel && /neither a CSV file nor an Excel workbook/.test(p.text)),
    );
    expect(note.thread).toBe(s.threadTs);
    expect(w.slack.downloads).not.toContain(s.fileId);
    expect(await importsOf('photo.png')).toEqual([]);
  });

  test('a damaged Excel workbook is read by its content and answered, by name or by content', async () => {
    const xlsx = readFileSync(join(__dirname, '..', 'fixtures', 'csv', 'xlsx-like.xlsx'));
    const byName = await share(w, xlsx, {
      name: 'clients.xlsx',
      file: {
        mimetype: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        filetype: 'xlsx',
      },
    });
    await w.slack.waitFor('the answer', () =>
      w.slack.posted().find((p) => p.channel === byName.channel && /workbook could not be read/.test(p.text)),
    );
    expect(w.slack.downloads).toContain(byName.fileId);

    const byContent = await share(w, xlsx, { name: 'renamed.csv' });
    const note = await w.slack.waitFor('the answer', () =>
      w.slack.posted().find((p) => p.channel === byContent.channel && /workbook/i.test(p.text)),
    );
    expect(note.text).toMatch(/save it again as \.xlsx \(or CSV\)/);
    expect(await importsOf('renamed.csv')).toEqual([]);
  });
});

describe('the slash command', () => {
  // Imports from the API are an admin's business in Slack; USER is made one here.
  beforeAll(() => w.h.app.context.get(WorkspacesService).addSlackAdmin(w.h.workspaceId, USER));

  async function reply(text: string, channel?: string) {
    const res = await command(w, text, channel);
    expect(res.status).toBe(200);
    return (await res.json()) as { response_type: string; text: string; blocks: unknown[] };
  }

  test('help explains the flow; an unknown word gets the help too, saying which word it did not understand', async () => {
    const help = await reply('help');
    expect(help.response_type).toBe('ephemeral');
    const text = JSON.stringify(help.blocks);
    for (const word of [
      'Share a `.csv` file or an `.xlsx` workbook',
      'Start import',
      'template <type>',
      'status [id]',
      'undo <id>',
    ]) {
      expect(text).toContain(word);
    }
    const unknown = await reply('frobnicate');
    expect(unknown.text).toContain('I did not understand "frobnicate"');
    expect(JSON.stringify(unknown.blocks)).toContain('Start import');
    const typo = await reply('templates clients');
    expect(JSON.stringify(typo.blocks)).toContain(
      'I did not understand `templates`: did you mean `/intake template`?',
    );
    expect(JSON.stringify((await reply('')).blocks)).toBe(text);
  });

  test('template <type> uploads the sample CSV into the channel', async () => {
    const channel = ids().channel;
    expect((await reply('template companies', channel)).text).toContain('companies');
    const upload = await w.slack.waitFor('the template upload', () =>
      [...w.slack.uploads.values()].find((u) => u.channel === channel && u.bytes),
    );
    expect(upload.filename).toBe('intake-companies-template.csv');
    expect(upload.bytes!.toString('utf8')).toBe(sampleTemplate('companies'));
    expect((await reply('template nonsense')).text).toContain('Which template?');
  });

  test('status lists recent Slack imports, or shows one', async () => {
    const s = await share(w, csv, { name: 'status.csv' });
    const mine = await mapping(w, s);
    const done = await importCsv(w.h, 'First Name,Email\nZoe,zoe@status.example.com\n', 'clients');
    const list = await reply('status');
    expect(JSON.stringify(list.blocks)).toContain(mine.importId);
    expect(JSON.stringify(list.blocks)).not.toContain(done.id); // an API import, listed to nobody here
    const one = await reply(`status ${done.id}`); // USER is an admin of the workspace
    expect(JSON.stringify(one.blocks)).toContain('Status: *completed*');
    expect(JSON.stringify(one.blocks)).toContain('imported 1');
    expect((await reply('status imp_nope')).text).toContain('No import "imp_nope"');
  });

  test('undo <id> asks first, then rolls the import back', async () => {
    const done = await importCsv(w.h, 'First Name,Email\nUma,uma@undo.example.com\n', 'clients');
    const ask = await reply(`undo ${done.id}`);
    expect(JSON.stringify(ask.blocks)).toContain(ACTION.undoConfirm);
    expect((await w.h.imports.get(w.h.workspaceId, done.id)).status).toBe('completed');

    const payload = fixture<Record<string, unknown>>('block-actions.json', {
      userId: USER,
      teamId: TEAM,
      channel: 'CUNDO',
      messageTs: '1700000000.000900',
      threadTs: '1700000000.000900',
      responseUrl: `${w.slack.url}/respond/undo-${done.id}`,
    });
    payload.actions = [
      fixture('action-button.json', {
        actionId: ACTION.undoConfirm,
        blockId: 'undo',
        value: done.id,
        actionTs: '1700000100.000400',
      }),
    ];
    expect((await w.sender.interaction(payload)).status).toBe(200);
    const answer = await w.slack.waitFor('the undo answer', () =>
      w.slack.responses.find((r) => r.path === `/respond/undo-${done.id}`),
    );
    expect(String(answer.body.text)).toContain('rolled back: 1 records deleted');
    expect(answer.body.replace_original).toBe(true);
    expect((await w.h.imports.get(w.h.workspaceId, done.id)).status).toBe('rolled_back');
  });
});

describe('teams and workspaces', () => {
  test('a linked Slack team imports into its workspace', async () => {
    const workspaces = w.h.app.context.get(WorkspacesService);
    await workspaces.create('acme-slack');
    await workspaces.linkSlackTeam('acme-slack', 'T0ACME');
    const s = await share(w, csv, { name: 'linked.csv', teamId: 'T0ACME' });
    const c = await mapping(w, s);
    expect((await w.h.imports.get('acme-slack', c.importId)).fileName).toBe('linked.csv');
    expect(await importsOf('linked.csv')).toEqual([]); // not in the default workspace
  });
});
