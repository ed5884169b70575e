import type { ParsedMail } from 'mailparser';
import { ConversationsRepository } from '../../src/doors/email/conversations.repository';
import { readToken } from '../../src/protocols/mail/reply-token';
import { START_MESSAGE } from '../../src/engine/imports/import-view';
import { RecordsRepository } from '../../src/engine/records/records.repository';
import { Harness, waitForEnd } from '../support/intake-harness';
import { replyMail, repliesTo, send, Sink, startMailDoor } from './mail-support';

/** The surprises people met when replying to a mapping proposal, each over real SMTP. */
let h: Harness;
let sink: Sink;
let close: () => Promise<void>;
const DOMAIN = 'import.test';
let n = 0;
const person = (tag: string) => `${tag}-${++n}@example.com`;

beforeAll(async () => {
  ({ h, sink, close } = await startMailDoor('email-replies', DOMAIN, {
    INTAKE_REPORT_ATTACHMENT_MAX_BYTES: '4096',
  }));
});
afterAll(() => close());

const CSV = [
  'First Name,Last Name,Email,Mobile number,Notes',
  'Ana,Garcia,ana.garcia@example.net,+34 612 345 678,VIP',
  'Cleo,Park,cleo@example.org,+34 600 000 001,call back',
].join('\n');
const PHONES_CSV = [
  'First Name,Email,Office phone,Mobile,Notes',
  'Ana,ana.p@example.net,+34 912 345 678,+34 612 345 678,VIP',
  'Cleo,cleo.p@example.org,+34 913 000 001,+34 600 000 001,',
].join('\n');

/** A first message with one CSV attached, as a mail client sends it. */
function csvMail(from: string, csv: string, fileName = 'fair-clients.csv'): string {
  return [
    `From: ${from}`,
    `To: clients@${DOMAIN}`,
    'Subject: Clients from the trade fair',
    `Message-ID: <first-${Math.random().toString(36).slice(2)}@example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Here they are.',
    '--b1',
    `Content-Type: text/csv; name="${fileName}"`,
    `Content-Disposition: attachment; filename="${fileName}"`,
    '',
    csv,
    '--b1--',
    '',
  ].join('\r\n');
}

const replyTo = (m: ParsedMail) => m.replyTo?.value[0]?.address ?? '';

/** Sends a file, waits for the proposal; returns it with the import's id. */
async function propose(who: string, csv = CSV, nth = 1): Promise<{ proposal: ParsedMail; id: string }> {
  expect((await send(h, { from: who, to: `clients@${DOMAIN}` }, csvMail(who, csv))).ok).toBe(true);
  const proposal = (await repliesTo(sink, who, nth))[nth - 1];
  const token = /^import\+([^@]+)@/.exec(replyTo(proposal!))![1]!;
  const conv = await h.app.context.get(ConversationsRepository).find(readToken(token)!.conversationId);
  return { proposal: proposal!, id: conv!.importIds[0]! };
}

/** Replies with `body` and returns Intake's answer (the `count`-th mail to this person). */
async function answer(who: string, to: ParsedMail, body: string, count: number): Promise<ParsedMail> {
  const mail = replyMail({ from: who, to: replyTo(to), body, inReplyTo: to.messageId });
  const sent = await send(h, { from: who, to: replyTo(to) }, mail);
  expect(sent).toEqual({ ok: true });
  return (await repliesTo(sink, who, count))[count - 1]!;
}

const fieldsOf = async (id: string) =>
  Object.fromEntries((await h.imports.get(h.workspaceId, id)).columns.map((c) => [c.header, c.field]));

test.each(['Yes but skip Notes', 'yes\nskip Notes', "Looks good, but don't import Notes."])(
  'a correction inside a confirmation is applied, never dropped: "%s"',
  async (body) => {
    const who = person('skip');
    const { proposal, id } = await propose(who);
    const started = await answer(who, proposal, body, 2);
    expect(started.text!.trim()).toBe(START_MESSAGE);
    const done = await waitForEnd(h, id);
    expect(done.status).toBe('completed');
    expect((await fieldsOf(id))['Notes']).toBeNull();
    const records = JSON.stringify(
      await h.app.context.get(RecordsRepository).list(h.workspaceId, 'clients', 1, 50),
    );
    expect(records).toContain('ana.garcia@example.net');
    expect(records).not.toContain('VIP');
  },
);

test.each(['Looks good, thanks', '👍', 'Sure', 'Approved', 'passt', "d'accord", 'vale'])(
  'a natural confirmation starts the import: "%s"',
  async (body) => {
    const who = person('ok');
    const { proposal, id } = await propose(who);
    expect((await answer(who, proposal, body, 2)).text!.trim()).toBe(START_MESSAGE);
    expect((await waitForEnd(h, id)).status).toBe('completed');
  },
);

test.each([
  ['map Mobile number to phone', { 'Mobile number': 'phone' }],
  ['phone should be the Mobile number column', { 'Mobile number': 'phone' }],
  ["don't import Notes", { Notes: null }],
])('a correction in plain words is applied and starts: "%s"', async (body, fields) => {
  const who = person('fix');
  const { proposal, id } = await propose(who);
  expect((await answer(who, proposal, body, 2)).text!.trim()).toBe(START_MESSAGE);
  expect(await fieldsOf(id)).toMatchObject(fields);
});

test('"Birthday = keep" keeps the column as a custom field on the records', async () => {
  const who = person('keep');
  const csv = 'First Name,Email,Birthday\nIda,ida@example.net,1969-07-20\n';
  const { proposal, id } = await propose(who, csv);
  expect((await answer(who, proposal, 'Birthday = keep', 2)).text!.trim()).toBe(START_MESSAGE);
  expect(await fieldsOf(id)).toMatchObject({ Birthday: 'custom.birthday' });
  expect((await waitForEnd(h, id)).status).toBe('completed');
  const { items } = await h.app.context.get(RecordsRepository).list(h.workspaceId, 'clients', 1, 50);
  expect(items.find((r) => r.key === 'ida@example.net')?.custom).toEqual({ birthday: '1969-07-20' });
});

test('"use update for duplicates" is understood', async () => {
  const who = person('dup');
  const { proposal, id } = await propose(who);
  expect((await answer(who, proposal, 'use update for duplicates', 2)).text!.trim()).toBe(START_MESSAGE);
  expect((await waitForEnd(h, id)).onDuplicate).toBe('update');
});

test('"Phone = Mobile" moves Phone off the other column: one round trip, no loop', async () => {
  const who = person('loop');
  const { proposal, id } = await propose(who, PHONES_CSV);
  // Office phone on Phone, as the suggestion has it (set here: the workspace learns from other tests).
  await h.imports.changeMapping(h.workspaceId, id, undefined, {
    byHeader: { 'Office phone': 'phone', Mobile: null },
  });
  const started = await answer(who, proposal, 'Phone = Mobile', 2);
  expect(started.text!.trim()).toBe(START_MESSAGE);
  expect(await fieldsOf(id)).toMatchObject({ Mobile: 'phone', 'Office phone': null });
});

test('while two columns claim one field, no answer says to reply "yes"; it names the reply that settles it', async () => {
  const who = person('conflict');
  const { proposal, id } = await propose(who, PHONES_CSV);
  // Both columns on Phone, whatever this workspace learned from earlier tests.
  await h.imports.changeMapping(h.workspaceId, id, undefined, {
    byHeader: { Mobile: 'phone', 'Office phone': 'phone' },
  });
  const blocked = await answer(who, proposal, 'yes', 2);
  expect(blocked.text).toContain('Nothing was imported yet: the mapping is not complete.');
  expect(blocked.text).toContain(
    '"Office phone" and "Mobile" are both mapped to Phone: reply "Phone = Mobile"',
  );
  expect(blocked.text).not.toContain('reply "yes"');
  expect((await h.imports.get(h.workspaceId, id)).status).toBe('awaiting_mapping');
  // The reply it names starts the import.
  expect((await answer(who, blocked, 'Phone = Mobile', 3)).text!.trim()).toBe(START_MESSAGE);
});

test('a reply is read back line by line: understood, not understood, ignored; nothing starts', async () => {
  const who = person('lines');
  const { proposal, id } = await propose(who);
  const reply = await answer(who, proposal, 'Hi,\nSure\nNotes should go somewhere else\n\nThanks, Ana', 2);
  expect(reply.text).toContain('Nothing was imported: I could not act on your reply.');
  expect(reply.text).toContain('✓ "Sure": Confirmed.');
  expect(reply.text).toContain('✗ "Notes should go somewhere else"');
  expect(reply.text).toContain('· "Hi": no instruction (ignored)');
  expect((await h.imports.get(h.workspaceId, id)).status).toBe('awaiting_mapping');
});

test('a reply with no instruction says which lines it read, instead of "(nothing)"', async () => {
  const who = person('none');
  const { proposal } = await propose(who);
  const reply = await answer(who, proposal, 'Thanks!\nAna', 2);
  expect(reply.text).toContain('· "Thanks": no instruction (ignored)');
  expect(reply.text).toContain('I found no instruction in it.');
  expect(reply.text).not.toContain('(nothing)');
});

test('flagged rows are named: the summary counts them with their top reasons, the report lists them with their outcome', async () => {
  const who = person('flagged');
  const csv = [
    'First Name,Last Name,Email,Mobile number,Notes',
    'Ana,Garcia,ana.f@example.net,call me,VIP',
    'Bo,Stone,bo.f@example,+34 600 000 002,',
    'Cleo,Park,cleo.f@example.org,not a phone,',
  ].join('\n');
  const { proposal, id } = await propose(who, csv);
  expect((await answer(who, proposal, 'yes', 2)).text!.trim()).toBe(START_MESSAGE);
  expect((await waitForEnd(h, id)).counts).toMatchObject({ imported: 2, skipped: 1, flagged: 2 });
  const [, , summary] = await repliesTo(sink, who, 3);
  expect(summary!.text).toContain('Skipped:    1 — invalid email (1)');
  expect(summary!.text).toContain('Flagged:    2 (imported with warnings) — phone could not be parsed (2)');
  const report = summary!.attachments[0]!.content.toString();
  expect(report.split('\n')).toEqual([
    'row,reason,outcome,First Name,Last Name,Email,Mobile number,Notes',
    '2,"phone ""call me"" could not be parsed",imported with warning,Ana,Garcia,ana.f@example.net,call me,VIP',
    `3,"invalid email ""bo.f@example""",skipped,Bo,Stone,bo.f@example,'+34 600 000 002,`,
    '4,"phone ""not a phone"" could not be parsed",imported with warning,Cleo,Park,cleo.f@example.org,not a phone,',
    '',
  ]);
});

test('a report sent back with its rows fixed imports cleanly: its own columns left out, the apostrophes removed', async () => {
  const who = person('roundtrip');
  const csv = [
    'First Name,Email,Mobile number',
    'Bo,bo.rt@example,+34 600 000 003',
    'Cy,cy.rt@example.org,',
  ].join('\n');
  const { proposal, id } = await propose(who, csv);
  await answer(who, proposal, 'yes', 2);
  await waitForEnd(h, id);
  const [, , summary] = await repliesTo(sink, who, 3);
  const report = summary!.attachments[0]!;
  expect(report.content.toString()).toContain(`,skipped,Bo,bo.rt@example,'+34 600 000 003`);

  // The person fixes the address in the report and sends the report itself back.
  const fixed = report.content.toString().replace('bo.rt@example,', 'bo.rt@example.com,');
  const back = await send(h, { from: who, to: `clients@${DOMAIN}` }, csvMail(who, fixed, report.filename!));
  expect(back.ok).toBe(true);
  const [, , , again] = await repliesTo(sink, who, 4);
  expect(again!.text).toMatch(/row\s+\(not imported\)/);
  expect(again!.text).toMatch(/reason\s+\(not imported\)/);
  expect(again!.text).toMatch(/outcome\s+\(not imported\)/);
  expect(again!.text).toContain('reply "yes"');
  await answer(who, again!, 'yes', 5);
  const [, , , , , done] = await repliesTo(sink, who, 6);
  expect(done!.text).toContain('Imported:   1');
  const records = await h.app.context.get(RecordsRepository).list(h.workspaceId, 'clients', 1, 200);
  const bo = JSON.stringify(records.items.find((r) => JSON.stringify(r).includes('bo.rt@example.com')));
  expect(bo).toContain('"phone":"+34 600 000 003"');
  expect(bo).not.toContain('skipped');
});

test('a summary leads somewhere: it counts the rows that already existed, and "duplicates: update" then "undo" work by reply', async () => {
  const who = person('again');
  // Job Title, not Notes: other tests here teach this workspace to leave Notes out.
  const first = ['First Name,Email,Job Title', 'Ana,ana.again@example.net,Buyer'].join('\n');
  const a = await propose(who, first);
  await answer(who, a.proposal, 'yes', 2);
  await waitForEnd(h, a.id);
  await repliesTo(sink, who, 3);

  const second = [
    'First Name,Email,Job Title',
    'Ana,ana.again@example.net,Head of Sales',
    'Bea,bea.again@example.net,CEO',
  ].join('\n');
  const b = await propose(who, second, 4);
  await answer(who, b.proposal, 'yes', 5);
  await waitForEnd(h, b.id);
  const summary = (await repliesTo(sink, who, 6))[5]!;
  expect(summary.text).toContain(
    '1 row was skipped because its record already exists. To update them with the values of this file, reply "duplicates: update".',
  );
  expect(summary.text).toContain('To undo this import (delete the 1 records it created), reply "undo".');
  expect(replyTo(summary)).toMatch(/^import\+/);

  const started = await answer(who, summary, 'duplicates: update', 7);
  expect(started.text).toContain(START_MESSAGE);
  const updatedSummary = (await repliesTo(sink, who, 8, 30_000))[7]!;
  // Ana takes the new job title; Bea, created by the second import with these values, stays as she is.
  expect(updatedSummary.text).toContain('Updated:    1');
  expect(updatedSummary.text).toContain('Unchanged:  1');
  const records = h.app.context.get(RecordsRepository);
  const ana = async () =>
    JSON.stringify(
      (await records.list(h.workspaceId, 'clients', 1, 500)).items.find((r) =>
        JSON.stringify(r).includes('ana.again@example.net'),
      ),
    );
  expect(await ana()).toContain('"jobTitle":"Head of Sales"');

  // The first import's summary still answers "undo": it created Ana, but a later import changed her
  // since, so she is kept, and counted as kept.
  const first3 = (await repliesTo(sink, who, 3))[2]!;
  const undone = await answer(who, first3, 'undo', 9);
  // The answer tells what the undo did, as every door does.
  expect(undone.text).toContain('Import of fair-clients.csv undone: 0 records deleted, 0 restored, 1 kept');
  await waitForEnd(h, a.id);
  for (
    const until = Date.now() + 20_000;
    (await h.imports.get(h.workspaceId, a.id)).status !== 'rolled_back';
  ) {
    if (Date.now() > until) throw new Error('not rolled back');
    await new Promise((r) => setTimeout(r, 100));
  }
  expect((await h.imports.get(h.workspaceId, a.id)).rollback).toMatchObject({ deleted: 0, kept: 1 });
  expect(await ana()).toContain('"jobTitle":"Head of Sales"');
});

test('a report too large to attach is cut at a line, and the summary says where the whole one is', async () => {
  const who = person('big-report');
  const bad = Array.from({ length: 200 }, (_, i) => `Bo${i},Stone,bo${i}@nowhere,,row ${i} of a long file`);
  const fresh = CSV.replace(/@example\.(net|org)/g, '@big.example.$1'); // not imported by other tests
  const { proposal, id } = await propose(who, [fresh, ...bad].join('\n'));
  await answer(who, proposal, 'yes', 2);
  expect((await waitForEnd(h, id)).counts).toMatchObject({ imported: 2, skipped: 200 });
  const summary = (await repliesTo(sink, who, 3))[2]!;
  const report = summary.attachments[0]!.content.toString('utf8');
  expect(Buffer.byteLength(report)).toBeLessThanOrEqual(4096);
  expect(report.endsWith('\n')).toBe(true);
  const kept = report.trimEnd().split('\n').length - 1;
  expect(kept).toBeGreaterThan(10);
  expect(kept).toBeLessThan(200);
  expect(summary.text).toContain(`it holds the first ${kept} of 200 rows`);
  expect(summary.text).toContain(`intake report ${id}`);
});

test.each([
  [
    'German Outlook, bare address',
    (quote: string) =>
      `ja\r\n\r\nVon: intake@${DOMAIN}\r\nGesendet: Montag, 23. November 2026 18:14\r\nAn: Ana García\r\nBetreff: AW: Kunden\r\n\r\n${quote}`,
  ],
  [
    'Russian "wrote" line',
    (quote: string) =>
      `да\r\nyes\r\n\r\n23 нояб. 2026 г., в 18:14, Intake <intake@${DOMAIN}> написал(а):\r\n\r\n${quote}`,
  ],
  [
    'German sign-off with ß',
    () =>
      'Ja, bitte importieren.\r\n\r\nViele Grüße\r\nAna García\r\nTelefon: +49 30 1234567, mobil 0151 2345678',
  ],
])('a reply quoting Intake as %s starts the import; the quoted proposal is not read', async (_name, body) => {
  const who = person('quoted');
  const { proposal, id } = await propose(who);
  // Intake signs its mail with a name, so a client quoting it writes "From: Intake <…>".
  expect(proposal.from?.value[0]?.name).toBe('Intake');
  const started = await answer(who, proposal, body(proposal.text!), 2);
  expect(started.text!.trim()).toBe(START_MESSAGE);
  expect((await waitForEnd(h, id)).status).toBe('completed');
});

test('an import that only updated records offers undo by reply, and the undo tells what it did', async () => {
  const who = person('undo-update');
  const first = ['First Name,Email,Job Title', 'Ugo,ugo.upd@example.net,Buyer'].join('\n');
  const a = await propose(who, first);
  await answer(who, a.proposal, 'yes', 2);
  await waitForEnd(h, a.id);
  await repliesTo(sink, who, 3);

  const second = ['First Name,Email,Job Title', 'Ugo,ugo.upd@example.net,Head of Buying'].join('\n');
  const b = await propose(who, second, 4);
  await answer(who, b.proposal, 'duplicates: update\nyes', 5);
  const done = await waitForEnd(h, b.id);
  expect(done.counts).toMatchObject({ imported: 0, updated: 1 });
  const summary = (await repliesTo(sink, who, 6))[5]!;
  // Before, only an import that created records offered undo by email: this reply bounced.
  expect(summary.text).toContain('To undo this import (restore the 1 it changed), reply "undo".');
  expect(replyTo(summary)).toMatch(/^import\+/);
  const undone = await answer(who, summary, 'undo', 7);
  expect(undone.text).toContain('Import of fair-clients.csv undone: 0 records deleted, 1 restored, 0 kept');
  expect(
    (await h.imports.get(h.workspaceId, b.id)).history.map((act) => [act.act, act.door, act.person]),
  ).toEqual([
    ['start', 'email', who],
    ['undo', 'email', who],
  ]);
});

test('"Type = companies" by reply imports the file as companies', async () => {
  const who = person('retype');
  const csv = ['Company name,Website,Industry', 'Acme Retype,acme-retype.example,Tools'].join('\n');
  const { proposal, id } = await propose(who, csv);
  expect(proposal.text).toContain('reply "Type = ');
  const started = await answer(who, proposal, 'Type = companies\nyes', 2);
  expect(started.text!.trim()).toBe(START_MESSAGE);
  const done = await waitForEnd(h, id);
  expect([done.type, done.status, done.counts.imported]).toEqual(['companies', 'completed', 1]);
});
