import { eventually } from '../support/eventually';
import { sampleTemplate } from '../../src/core/template/sample-template';
import { START_MESSAGE } from '../../src/engine/imports/import-view';
import { ACTION, NO_FIELD } from '../../src/doors/slack/slack-ids';
import { SlackFilesRepository } from '../../src/doors/slack/slack-files.repository';
import { reportText, waitForEnd } from '../support/intake-harness';
import { BOT_USER_ID } from './slack-stand-in';
import {
  TEAM,
  USER,
  World,
  blockOf,
  choose,
  ids,
  interact,
  mapping,
  press,
  share,
  startWorld,
  textsIn,
} from './slack-world';
import { fixture } from './slack-requests';

let w: World;

beforeAll(async () => {
  w = await startWorld('slack_conversation', {
    INTAKE_BATCH_SIZE: '200',
    INTAKE_REPORT_ATTACHMENT_MAX_BYTES: '4096',
  });
});
afterAll(() => w.close());

const csv =
  'fname,E-Mail,Mobile #,Org\n' +
  'Ana,ana@example.com,+34 612 345 678,Acme\n' +
  'Bob,bob@example,,\n' +
  'Carl,carl@example.com,,Initech\n';

/** Unique emails per test: the workspace is shared by the tests of this file. */
function people(tag: string): string {
  return csv.replace(/@example\.com/g, `@${tag}.example.com`);
}

async function records(
  type: string,
): Promise<{ total: number; items: { fields: Record<string, unknown> }[] }> {
  const res = await fetch(`${w.h.url}/records/${type}?page=1&limit=100`, {
    headers: { Authorization: `Bearer ${w.h.apiKey}` },
  });
  return (await res.json()) as { total: number; items: { fields: Record<string, unknown> }[] };
}

test('share → mapping in the thread → change a column → start → progress → summary with the report', async () => {
  const s = await share(w, people('whole'), { name: 'clients-march.csv' });
  const c = await mapping(w, s);
  const first = w.slack.posted().find((p) => p.ts === c.pages[0])!;
  expect(first.thread).toBe(s.threadTs);
  expect(first.blocksJson).toContain('ana@whole.example.com');
  expect(first.blocksJson).toContain("Don't import");
  expect(w.slack.downloads.filter((d) => d === s.fileId)).toHaveLength(1);

  expect((await choose(w, c, ACTION.type, `type|${c.importId}`, 'clients')).status).toBe(200);
  expect((await choose(w, c, ACTION.column, `col|${c.importId}|3`, NO_FIELD)).status).toBe(200);
  await w.slack.waitFor('the mapping message updated', () =>
    w.slack.callsOf('chat.update').find((u) => {
      const block = blockOf(u.args.blocks, `col|${c.importId}|3`);
      return u.args.ts === c.pages[0] && block?.accessory?.initial_option?.value === NO_FIELD;
    }),
  );
  expect((await w.h.imports.get(w.h.workspaceId, c.importId)).columns[3]?.field).toBeNull();

  expect((await press(w, c, ACTION.start)).status).toBe(200);
  await w.slack.waitFor('the start sentence', () => textsIn(w, s.channel).includes(START_MESSAGE));
  const done = await waitForEnd(w.h, c.importId);
  expect(done.counts).toEqual({ total: 3, imported: 2, updated: 0, unchanged: 0, skipped: 1, flagged: 0 });

  const summary = await w.slack.waitFor('the summary', () =>
    w.slack.posted().find((p) => p.channel === s.channel && /finished: 3 rows read, 2 imported/.test(p.text)),
  );
  expect(summary.thread).toBe(s.threadTs);
  const progress = w.slack.posted().find((p) => p.channel === s.channel && /queued|running/.test(p.text))!;
  await w.slack.waitFor('the final progress edit', () =>
    w.slack.callsOf('chat.update').find((u) => u.args.ts === progress.ts && /100%/.test(String(u.args.text))),
  );

  const upload = await w.slack.waitFor('the report upload', () =>
    [...w.slack.uploads.values()].find(
      (u) => u.filename.startsWith('skipped-rows-') && u.channel === s.channel && u.bytes,
    ),
  );
  expect(upload.threadTs).toBe(s.threadTs);
  expect(upload.bytes!.toString('utf8')).toBe(await reportText(w.h, c.importId));
  expect(upload.bytes!.toString('utf8')).toContain('invalid email');

  const texts = textsIn(w, s.channel);
  expect(texts.indexOf(START_MESSAGE)).toBeLessThan(texts.indexOf(summary.text));
  const carl = (await records('clients')).items.find((r) => r.fields.email === 'carl@whole.example.com');
  expect(carl?.fields.firstName).toBe('Carl');
  expect(carl?.fields.company).toBeUndefined();

  // The summary leads on: its Undo button asks first, in Slack's own dialog.
  const blocks = JSON.stringify(
    w.slack.callsOf('chat.postMessage').find((p) => p.args.text === summary.text)?.args.blocks,
  );
  expect(blocks).toContain(ACTION.undo);
  expect(blocks).toContain('Undo the import of clients-march.csv?');
  expect((await w.h.imports.get(w.h.workspaceId, c.importId)).status).toBe('completed');
});

test('quick changes land in the order they were made, however the requests race', async () => {
  const s = await share(w, people('quick'), { name: 'quick.csv' });
  const c = await mapping(w, s);
  const clock = Math.floor(Date.now() / 1000);
  for (let round = 0; round < 6; round++) {
    // A type change and then a column change, a moment apart, sent at once: either may be handled first.
    const typeAt = (clock + round * 10).toFixed(6);
    const columnAt = (clock + round * 10 + 1).toFixed(6);
    const choice = round % 2 ? 'company' : NO_FIELD;
    const replies = await Promise.all([
      interact(w, c, {
        kind: 'select',
        actionId: ACTION.type,
        blockId: `type|${c.importId}`,
        value: round % 2 ? 'leads' : 'clients',
        actionTs: typeAt,
      }),
      interact(w, c, {
        kind: 'select',
        actionId: ACTION.column,
        blockId: `col|${c.importId}|3`,
        value: choice,
        actionTs: columnAt,
      }),
    ]);
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    const expected = choice === NO_FIELD ? null : choice;
    const type = round % 2 ? 'leads' : 'clients';
    const until = Date.now() + 15_000;
    for (;;) {
      const now = await w.h.imports.get(w.h.workspaceId, c.importId);
      if (now.type === type && now.columns[3]?.field === expected) break;
      if (Date.now() > until) throw new Error(`round ${round}: ${now.type}, ${now.columns[3]?.field}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  // Nothing handled late puts an older choice back.
  const final = await w.h.imports.get(w.h.workspaceId, c.importId);
  expect(final.columns[3]?.field).toBe('company');
  expect(final.type).toBe('leads');
});

test('a column changed before the mapping pages are stored is still drawn once they are', async () => {
  // Slack shows the first page while Intake waits for its answer: hold that answer, so the click
  // arrives before Intake knows which message to redraw.
  const release = w.slack.hold('chat.postMessage');
  const s = await share(w, people('early'));
  const sent = await w.slack.waitFor('the mapping message sent', () =>
    w.slack
      .callsOf('chat.postMessage')
      .find(
        (c) => c.args.channel === s.channel && JSON.stringify(c.args.blocks ?? []).includes('intake_column'),
      ),
  );
  const importId = /"type\|(imp_[^"]+)"/.exec(JSON.stringify(sent.args.blocks))?.[1] ?? '';
  const c = { ...s, importId, pages: [String(sent.args._ts)] };
  expect((await choose(w, c, ACTION.column, `col|${importId}|3`, NO_FIELD)).status).toBe(200);
  const until = Date.now() + 15_000;
  while ((await w.h.imports.get(w.h.workspaceId, importId)).columns[3]?.field !== null) {
    if (Date.now() > until) throw new Error('the early change was not stored');
    await new Promise((r) => setTimeout(r, 25));
  }
  release();
  await w.slack.waitFor('the early change drawn', () =>
    w.slack.callsOf('chat.update').find((u) => {
      const block = blockOf(u.args.blocks, `col|${importId}|3`);
      return u.args.ts === c.pages[0] && block?.accessory?.initial_option?.value === NO_FIELD;
    }),
  );
});

test('Start import is refused, with the reason in the thread, while a required field is unmapped', async () => {
  const s = await share(w, people('refused'));
  const c = await mapping(w, s);
  await choose(w, c, ACTION.column, `col|${c.importId}|1`, NO_FIELD);
  await w.slack.waitFor('the warning in the mapping message', () =>
    w.slack
      .callsOf('chat.update')
      .find(
        (u) => u.args.ts === c.pages[0] && JSON.stringify(u.args.blocks).includes('still missing: *Email*'),
      ),
  );
  await press(w, c, ACTION.start);
  const refusal = await w.slack.waitFor('the refusal', () =>
    w.slack.posted().find((p) => p.channel === s.channel && /can't start this import yet/.test(p.text)),
  );
  expect(refusal.text).toContain('Email');
  // The next step is one the thread offers (its selects, its Sample template button), not a CLI command.
  expect(refusal.text).toContain('Pick the column in the selects above');
  expect(refusal.text).toContain('Sample template');
  expect(refusal.text).not.toContain('intake template');
  expect(refusal.thread).toBe(s.threadTs);
  expect(textsIn(w, s.channel)).not.toContain(START_MESSAGE);
  expect((await w.h.imports.get(w.h.workspaceId, c.importId)).status).toBe('awaiting_mapping');
});

test('a dry run reports what would happen, then "Run it for real" imports', async () => {
  const s = await share(w, people('dry'));
  const c = await mapping(w, s);
  await choose(w, c, ACTION.type, `type|${c.importId}`, 'clients');
  await press(w, c, ACTION.dryRun);
  const summary = await w.slack.waitFor('the dry run summary', () =>
    w.slack.posted().find((p) => p.channel === s.channel && /^Dry run of/.test(p.text)),
  );
  expect(summary.text).toContain('nothing was written');
  expect(summary.text).toContain('would import 2');
  expect(summary.blocksJson).toContain(ACTION.runForReal);
  expect((await records('clients')).items.some((r) => r.fields.email === 'ana@dry.example.com')).toBe(false);
  await w.slack.waitFor('the dry run report', () =>
    [...w.slack.uploads.values()].find(
      (u) => u.channel === s.channel && /dry-run\.csv$/.test(u.filename) && u.bytes,
    ),
  );

  await press(w, c, ACTION.runForReal, { messageTs: summary.ts });
  await w.slack.waitFor('the start sentence', () => textsIn(w, s.channel).includes(START_MESSAGE));
  await w.slack.waitFor('the real summary', () =>
    w.slack.posted().find((p) => p.channel === s.channel && /finished: 3 rows read, 2 imported/.test(p.text)),
  );
  expect((await records('clients')).items.some((r) => r.fields.email === 'ana@dry.example.com')).toBe(true);
  expect(w.slack.callsOf('chat.update').some((u) => u.args.ts === summary.ts)).toBe(true);
});

test('the duplicates choice (fill) is used when the import starts', async () => {
  const first = await mapping(w, await share(w, people('dup')));
  await press(w, first, ACTION.start);
  expect((await waitForEnd(w.h, first.importId)).counts.imported).toBe(2);

  const again = await mapping(w, await share(w, people('dup')));
  await choose(w, again, ACTION.duplicates, `controls|${again.importId}`, 'fill');
  const files = w.h.app.context.get(SlackFilesRepository, { strict: false });
  await eventually(
    async () => (await files.byImport(w.h.workspaceId, again.importId))?.onDuplicate === 'fill',
  );
  await press(w, again, ACTION.start);
  const done = await waitForEnd(w.h, again.importId);
  expect(done.onDuplicate).toBe('fill');
  // The same file again: every matched record already holds the row's values.
  expect(done.counts).toMatchObject({ imported: 0, updated: 0, unchanged: 2, skipped: 1 });
});

test('unticking "Link contacts to companies" imports the contacts without linking them', async () => {
  const c = await mapping(w, await share(w, people('nolink')));
  await interact(w, c, { kind: 'checkboxes', actionId: ACTION.linkCompanies, value: '' });
  const files = w.h.app.context.get(SlackFilesRepository, { strict: false });
  await eventually(async () => (await files.byImport(w.h.workspaceId, c.importId))?.linkCompanies === false);
  await press(w, c, ACTION.start);
  const done = await waitForEnd(w.h, c.importId);
  expect(done.linkCompanies).toBe(false);
  expect(done.counts).toMatchObject({ imported: 2, skipped: 1 });
  expect(done.counts.companiesLinked ?? 0).toBe(0);
});

test('Cancel ends the import and says so in the thread', async () => {
  const s = await share(w, people('cancel'));
  const c = await mapping(w, s);
  await press(w, c, ACTION.cancel);
  await w.slack.waitFor('the cancel summary', () =>
    w.slack.posted().find((p) => p.channel === s.channel && /cancelled\. Nothing was imported/.test(p.text)),
  );
  expect((await w.h.imports.get(w.h.workspaceId, c.importId)).status).toBe('cancelled');
  // The mapping message no longer offers controls.
  await w.slack.waitFor('the mapping message without controls', () =>
    w.slack
      .callsOf('chat.update')
      .find((u) => u.args.ts === c.pages[0] && !JSON.stringify(u.args.blocks).includes(ACTION.start)),
  );
});

test('Sample template uploads the template of the import type into the thread', async () => {
  const s = await share(w, people('template'));
  const c = await mapping(w, s);
  await choose(w, c, ACTION.type, `type|${c.importId}`, 'leads');
  await w.slack.waitFor('the type change', () =>
    w.slack
      .callsOf('chat.update')
      .find(
        (u) => blockOf(u.args.blocks, `type|${c.importId}`)?.accessory?.initial_option?.value === 'leads',
      ),
  );
  await press(w, c, ACTION.template);
  const upload = await w.slack.waitFor('the template upload', () =>
    [...w.slack.uploads.values()].find((u) => u.channel === s.channel && u.bytes),
  );
  expect(upload.filename).toBe('intake-leads-template.csv');
  expect(upload.threadTs).toBe(s.threadTs);
  expect(upload.bytes!.toString('utf8')).toBe(sampleTemplate('leads'));
});

test('a 429 with Retry-After is waited out and retried', async () => {
  w.slack.fail('chat.postMessage', { status: 429, retryAfter: 1 });
  const s = await share(w, people('ratelimit'));
  await mapping(w, s);
  const posts = w.slack.callsOf('chat.postMessage').filter((p) => p.args.channel === s.channel);
  expect(posts[0]?.args._failed).toBe(429);
  expect(posts.length).toBeGreaterThanOrEqual(2);
});

test('failing message edits do not fail the import', async () => {
  const s = await share(w, people('editfail'));
  const c = await mapping(w, s);
  w.slack.fail('chat.update', { error: 'internal_error' }, 1000);
  try {
    await press(w, c, ACTION.start);
    const done = await waitForEnd(w.h, c.importId);
    expect(done.status).toBe('completed');
    await w.slack.waitFor('the summary', () =>
      w.slack.posted().find((p) => p.channel === s.channel && /finished: 3 rows read/.test(p.text)),
    );
    expect(w.slack.callsOf('chat.update').some((u) => u.args._failed === 'internal_error')).toBe(true);
  } finally {
    w.slack.clearFailures();
  }
});

test('progress is edited while the import runs, at most once per SLACK_PROGRESS_MS', async () => {
  const rows = Array.from({ length: 3000 }, (_, i) => `P${i},p${i}@progress.example.com,Company ${i}`);
  const s = await share(w, `First Name,Email,Company\n${rows.join('\n')}\n`, { name: 'big.csv' });
  const c = await mapping(w, s);
  await press(w, c, ACTION.start);
  expect((await waitForEnd(w.h, c.importId)).counts.imported).toBe(3000);
  const progress = await w.slack.waitFor('the progress message', () =>
    w.slack.posted().find((p) => p.channel === s.channel && /^Import (queued|running)/.test(p.text)),
  );
  const edits = await w.slack.waitFor('the final edit', () => {
    const e = w.slack.callsOf('chat.update').filter((u) => u.args.ts === progress.ts);
    return e.some((u) => /100%/.test(String(u.args.text))) ? e : null;
  });
  for (let i = 1; i < edits.length; i++) expect(edits[i]!.at - edits[i - 1]!.at).toBeGreaterThanOrEqual(150);
  const texts = edits.map((e) => String(e.args.text));
  expect(texts.at(-1)).toMatch(/100% · 3,000 rows read: 3,000 imported/);
  if (edits.length > 1) expect(texts[0]).toMatch(/running: .*about \d+%/);
});

test('a notice retried after a failed report upload does not post the summary twice', async () => {
  const s = await share(w, people('retry'));
  const c = await mapping(w, s);
  w.slack.fail('files.getUploadURLExternal', { error: 'internal_error' });
  await press(w, c, ACTION.start);
  await w.slack.waitFor(
    'the report after the retry',
    () => [...w.slack.uploads.values()].find((u) => u.channel === s.channel && u.bytes),
    20_000,
  );
  const summaries = w.slack.posted().filter((p) => p.channel === s.channel && /finished:/.test(p.text));
  expect(summaries).toHaveLength(1);
  expect(w.slack.callsOf('files.getUploadURLExternal').some((x) => x.args._failed === 'internal_error')).toBe(
    true,
  );
});

test('a file with 120 columns is shown over several messages within Block Kit limits', async () => {
  const headers = Array.from({ length: 118 }, (_, i) => `Custom attribute ${i + 1}`);
  headers.push('First Name', 'Email');
  const row = (n: number) => [
    ...headers.slice(0, 118).map((_, i) => `v${n}-${i}`),
    `P${n}`,
    `p${n}@wide.example.com`,
  ];
  const wide = [headers, row(1), row(2)].map((r) => r.join(',')).join('\n') + '\n';
  const s = await share(w, wide, { name: 'wide.csv' });
  const c = await mapping(w, s, 3);
  expect(c.pages).toHaveLength(3);
  for (const p of w.slack.callsOf('chat.postMessage').filter((x) => x.args.channel === s.channel)) {
    const blocks = p.args.blocks as Block[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) {
      if (b.text?.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
      const options = b.accessory?.options ?? [];
      expect(options.length).toBeLessThanOrEqual(100);
      for (const o of options) expect(o.text.text.length).toBeLessThanOrEqual(75);
    }
  }
  const last = w.slack.posted().find((p) => p.ts === c.pages[2])!;
  expect(last.blocksJson).toContain(`col|${c.importId}|119`);
  expect(last.blocksJson).toContain(ACTION.start);

  // A change on the last page re-renders that page.
  await choose(w, c, ACTION.column, `col|${c.importId}|100`, 'phone', c.pages[2]);
  await w.slack.waitFor('the last page updated', () =>
    w.slack
      .callsOf('chat.update')
      .find(
        (u) =>
          u.args.ts === c.pages[2] &&
          blockOf(u.args.blocks, `col|${c.importId}|100`)?.accessory?.initial_option?.value === 'phone',
      ),
  );
  await press(w, c, ACTION.start, { messageTs: c.pages[2] });
  await w.slack.waitFor('the start sentence', () => textsIn(w, s.channel).includes(START_MESSAGE));
  expect((await waitForEnd(w.h, c.importId)).counts.imported).toBe(2);
});

test("the app's own upload (a report, a template) is never imported", async () => {
  const s = await share(w, people('own'), { user: BOT_USER_ID, name: 'skipped-rows-x.csv' });
  await new Promise((r) => setTimeout(r, 500));
  expect(w.slack.downloads).not.toContain(s.fileId);
  expect(w.slack.callsOf('files.info').some((c) => c.args.file === s.fileId)).toBe(false);
  expect(textsIn(w, s.channel)).toEqual([]);
});

interface Block {
  block_id?: string;
  text?: { text: string };
  accessory?: { initial_option?: { value: string }; options?: { text: { text: string } }[] };
}

/** The same Slack file shared again, in a new message of the same channel. */
async function shareAgain(w: World, s: { channel: string; fileId: string }, name: string): Promise<string> {
  const id = ids();
  const envelope = fixture<{ event: Record<string, unknown> }>('event-message-file-share.json', {
    teamId: TEAM,
    channel: s.channel,
    fileId: s.fileId,
    userId: USER,
    eventId: id.eventId,
    fileName: name,
    ts: id.ts,
  });
  expect((await w.sender.event(envelope)).status).toBe(200);
  return id.ts;
}

test('the same file shared again points to its thread while its import is open, and starts afresh once it ended', async () => {
  const s = await share(w, people('again'), { name: 'again.csv' });
  const c = await mapping(w, s);
  const second = await shareAgain(w, s, 'again.csv');
  const pointer = await w.slack.waitFor('the pointer to the first thread', () =>
    w.slack.posted().find((p) => p.channel === s.channel && p.thread === second),
  );
  expect(pointer.text).toContain('This file is already being imported');
  expect(w.slack.posted().filter((p) => p.thread === second && /intake_column/.test(p.blocksJson))).toEqual(
    [],
  );

  await press(w, c, ACTION.cancel);
  await waitForEnd(w.h, c.importId);
  const third = await shareAgain(w, s, 'again.csv');
  const fresh = await w.slack.waitFor('a new mapping in the new thread', () =>
    w.slack.posted().find((p) => p.thread === third && /intake_column/.test(p.blocksJson)),
  );
  expect(fresh.blocksJson).not.toContain(c.importId);
});

test('a report too large to upload is cut at a line, and the comment says where the whole one is', async () => {
  const bad = Array.from({ length: 200 }, (_, i) => `Bo${i},bo${i}@nowhere,,row ${i} of a long file`);
  const s = await share(w, [people('bigreport').trimEnd(), ...bad].join('\n'), { name: 'big.csv' });
  const c = await mapping(w, s);
  await press(w, c, ACTION.start);
  expect((await waitForEnd(w.h, c.importId)).counts).toMatchObject({ imported: 2, skipped: 201 });
  const upload = await w.slack.waitFor('the report upload', () =>
    [...w.slack.uploads.values()].find(
      (u) => u.channel === s.channel && u.filename.includes('big') && u.bytes,
    ),
  );
  const report = upload.bytes!.toString('utf8');
  expect(Buffer.byteLength(report)).toBeLessThanOrEqual(4096);
  const kept = report.trimEnd().split('\n').length - 1;
  expect(kept).toBeGreaterThan(10);
  expect(kept).toBeLessThan(201);
  const complete = w.slack
    .callsOf('files.completeUploadExternal')
    .find((u) => u.args.channel_id === s.channel);
  expect(String(complete?.args.initial_comment)).toContain(`it holds the first ${kept} of 201 rows`);
});
