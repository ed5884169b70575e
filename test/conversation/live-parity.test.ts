import type { ParsedMail } from 'mailparser';
import { inOrderOfModel } from './model-order';
import { emailOffersIn } from './email-offers';
import { importCsv, waitForEnd } from '../support/intake-harness';
import { twoSheetBook } from '../support/workbooks';
import { mailWithAttachment, replyMail, repliesTo, send, Sink } from '../email/mail-support';
import { ACTION } from '../../src/doors/slack/slack-ids';
import { slackControlsFor } from '../slack/slack-offers';
import { Conversation, World, choose, mapping, press, share, startWorldWithMail } from '../slack/slack-world';
import type { OfferKind } from '../../src/engine/conversation/offers';

// One conversation, driven live through the two doors that talk in threads: a person shares files in
// Slack and mails them to the import address, answers what Intake asks, and at every step the controls
// of the message Intake just posted (Slack) or the replies its mail asks for (email) are exactly the
// offers the engine makes for that import then.

const DOMAIN = 'import.test';
let w: World;
let sink: Sink;

beforeAll(async () => {
  ({ w, sink } = await startWorldWithMail('live_parity', DOMAIN));
});
afterAll(() => w?.close());

async function engineOffers(id: string): Promise<OfferKind[]> {
  return inOrderOfModel((await w.h.imports.get(w.h.workspaceId, id)).actions.map((a) => a.kind));
}

async function importIdOf(fileName: string): Promise<string> {
  const found = (await w.h.imports.list(w.h.workspaceId, 100)).find((v) => v.fileName === fileName);
  if (!found) throw new Error(`no import of ${fileName}`);
  return found.id;
}

// ---- email ----

const replyAddress = (m: ParsedMail) => m.replyTo?.value[0]?.address ?? '';

function offersOfMail(m: ParsedMail): OfferKind[] {
  const report = m.attachments.some((a) => a.filename?.startsWith('skipped-rows-'));
  return emailOffersIn(m.text ?? '', report);
}

async function mailFile(from: string, fileName: string, content: Buffer | string, base64 = false) {
  const raw = mailWithAttachment({
    from,
    to: `clients@${DOMAIN}`,
    subject: fileName,
    fileName,
    content,
    base64,
  });
  expect(await send(w.h, { from, to: `clients@${DOMAIN}` }, raw)).toEqual({ ok: true });
}

async function answer(from: string, to: ParsedMail, body: string) {
  const raw = replyMail({ from, to: replyAddress(to), body, inReplyTo: to.messageId });
  expect(await send(w.h, { from, to: replyAddress(to) }, raw)).toEqual({ ok: true });
}

test('email: the proposal, the dry run, the real run, a failed run and a workbook each ask for exactly what the engine offers', async () => {
  const ana = 'ana-live@example.com';
  await importCsv(w.h, 'First Name,Email\nAna,ana@mail-live.example\n', 'clients');
  const rows = 'First Name,Email\nAna,ana@mail-live.example\nBob,bob@nowhere\nCleo,cleo@mail-live.example\n';

  await mailFile(ana, 'mail-live.csv', rows);
  const [proposal] = await repliesTo(sink, ana, 1, 60_000);
  const id = await importIdOf('mail-live.csv');
  expect(await engineOffers(id)).toContain('start');
  expect({ proposal: offersOfMail(proposal!) }).toEqual({ proposal: await engineOffers(id) });

  await answer(ana, proposal!, 'dry run');
  expect((await waitForEnd(w.h, id)).dryRun).toBe(true);
  const [, , dry] = await repliesTo(sink, ana, 3, 60_000);
  expect(await engineOffers(id)).toContain('run_for_real');
  expect({ dryRun: offersOfMail(dry!) }).toEqual({ dryRun: await engineOffers(id) });

  await answer(ana, dry!, 'yes');
  const [, , , , real] = await repliesTo(sink, ana, 5, 60_000);
  expect(await engineOffers(id)).toContain('undo');
  expect({ completed: offersOfMail(real!) }).toEqual({ completed: await engineOffers(id) });

  const bea = 'bea-live@example.com';
  const tail = Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 10, 0, 0, 7]);
  await mailFile(
    bea,
    'mail-fail.csv',
    Buffer.concat([Buffer.from('First Name,Email\nEve,eve@mail-live.example\n'), tail]),
    true,
  );
  const [toStart] = await repliesTo(sink, bea, 1, 60_000);
  const failedId = await importIdOf('mail-fail.csv');
  await answer(bea, toStart!, 'yes');
  expect((await waitForEnd(w.h, failedId)).status).toBe('failed');
  const [, , failed] = await repliesTo(sink, bea, 3, 60_000);
  expect(await engineOffers(failedId)).toContain('retry');
  expect({ failed: offersOfMail(failed!) }).toEqual({ failed: await engineOffers(failedId) });

  const cy = 'cy-live@example.com';
  await mailFile(cy, 'mail-live.xlsx', await twoSheetBook(), true);
  const [book] = await repliesTo(sink, cy, 1, 60_000);
  const bookId = await importIdOf('mail-live.xlsx');
  expect(await engineOffers(bookId)).toContain('choose_sheet');
  expect({ workbook: offersOfMail(book!) }).toEqual({ workbook: await engineOffers(bookId) });
}, 240_000);

// ---- Slack ----

/** A message as it stands now: its post, or the last update of it. */
function latest(ts: string) {
  const updated = w.slack
    .callsOf('chat.update')
    .filter((u) => u.args.ts === ts && u.args._failed === undefined)
    .pop();
  return updated ?? w.slack.callsOf('chat.postMessage').find((p) => String(p.args._ts) === ts)!;
}

function postedInThread(c: Conversation, what: string, pattern: RegExp, after = 0) {
  return w.slack.waitFor(
    what,
    () => w.slack.posted().filter((p) => p.thread === c.threadTs && pattern.test(p.text))[after],
    60_000,
  );
}

test('Slack: the mapping, the dry run, the real run, a failed run and a workbook each show exactly what the engine offers', async () => {
  await importCsv(w.h, 'First Name,Email\nSam,sam@slack-live.example\n', 'clients');
  const rows = 'First Name,Email\nSam,sam@slack-live.example\nTia,tia@nowhere\nUma,uma@slack-live.example\n';

  const c = await mapping(w, await share(w, rows, { name: 'slack-live.csv' }));
  await choose(w, c, ACTION.type, `type|${c.importId}`, 'clients');
  await w.slack.waitFor('the mapping redrawn as clients', () =>
    w.slack
      .callsOf('chat.update')
      .find((u) => u.args.ts === c.pages[0] && JSON.stringify(u.args.blocks).includes(ACTION.start)),
  );
  expect(await engineOffers(c.importId)).toContain('start');
  expect({ mapping: slackControlsFor(c.pages.map(latest)) }).toEqual({
    mapping: await engineOffers(c.importId),
  });

  await press(w, c, ACTION.dryRun);
  const dry = await postedInThread(c, 'the dry run summary', /^Dry run of/);
  expect(await engineOffers(c.importId)).toContain('run_for_real');
  expect({ dryRun: slackControlsFor([dry]) }).toEqual({ dryRun: await engineOffers(c.importId) });

  await press(w, c, ACTION.runForReal, { messageTs: dry.ts });
  const real = await postedInThread(c, 'the summary', /^(?!Dry run).*finished:/);
  expect(await engineOffers(c.importId)).toContain('undo');
  expect({ completed: slackControlsFor([real]) }).toEqual({ completed: await engineOffers(c.importId) });

  const tail = Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 10, 0, 0, 7]);
  const bad = await mapping(
    w,
    await share(w, Buffer.concat([Buffer.from('First Name,Email\nVi,vi@slack-live.example\n'), tail]), {
      name: 'slack-fail.csv',
    }),
  );
  await choose(w, bad, ACTION.type, `type|${bad.importId}`, 'clients');
  await w.slack.waitFor('the failing mapping redrawn as clients', () =>
    w.slack
      .callsOf('chat.update')
      .find((u) => u.args.ts === bad.pages[0] && JSON.stringify(u.args.blocks).includes(ACTION.start)),
  );
  await press(w, bad, ACTION.start);
  expect((await waitForEnd(w.h, bad.importId)).status).toBe('failed');
  const failed = await postedInThread(bad, 'the failure summary', /failed/);
  expect(await engineOffers(bad.importId)).toContain('retry');
  expect({ failed: slackControlsFor([failed]) }).toEqual({ failed: await engineOffers(bad.importId) });

  const book = await mapping(w, await share(w, await twoSheetBook(), { name: 'slack-live.xlsx' }));
  expect(await engineOffers(book.importId)).toContain('choose_sheet');
  expect({ workbook: slackControlsFor(book.pages.map(latest)) }).toEqual({
    workbook: await engineOffers(book.importId),
  });
}, 240_000);
