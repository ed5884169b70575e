import { ConversationsRepository } from '../../src/doors/email/conversations.repository';
import { OutboxService } from '../../src/doors/email/outbox.service';
import { ReplySecret } from '../../src/doors/email/reply-secret';
import { issueToken, readToken } from '../../src/protocols/mail/reply-token';
import { DRY_RUN_START_MESSAGE, START_MESSAGE } from '../../src/engine/imports/import-view';
import { RecordsRepository } from '../../src/engine/records/records.repository';
import { Harness, waitForEnd } from '../support/intake-harness';
import { fixture, replyMail, repliesTo, send, Sink, startMailDoor } from './mail-support';

let h: Harness;
let sink: Sink;
const DOMAIN = 'import.test';
const MAX_BYTES = 200_000;
let n = 0;
/** A fresh sender per test, so each test reads only its own replies. */
const person = (tag: string) => `${tag}-${++n}@example.com`;

let close: () => Promise<void>;

beforeAll(async () => {
  ({ h, sink, close } = await startMailDoor('email', DOMAIN, {
    SMTP_MAX_BYTES: String(MAX_BYTES),
  }));
});
afterAll(() => close());

const replyTo = (m: { replyTo?: { value: { address?: string }[] } }) => m.replyTo?.value[0]?.address ?? '';
const importIdsOf = async (replyAddress: string) => {
  const token = /^import\+([^@]+)@/.exec(replyAddress)![1]!;
  const conv = await h.app.context.get(ConversationsRepository).find(readToken(token)!.conversationId);
  return conv!.importIds;
};

test('the whole conversation: mapping proposal, "yes", the start sentence, then the summary with the report', async () => {
  const ana = person('ana');
  expect(await send(h, { from: ana, to: `clients@${DOMAIN}` }, fixture('gmail-base64.eml', ana))).toEqual({
    ok: true,
  });

  const [proposal] = await repliesTo(sink, ana);
  expect(proposal!.subject).toBe('Re: Clients from the trade fair');
  expect(proposal!.inReplyTo).toBe('<CAHx9fQ3Jp0w+gmail@mail.gmail.com>');
  expect(proposal!.references).toContain('<CAHx9fQ3Jp0w+gmail@mail.gmail.com>');
  expect(proposal!.headers.get('auto-submitted')).toBe('auto-replied');
  expect(replyTo(proposal!)).toMatch(new RegExp(`^import\\+[0-9a-z-]+@${DOMAIN}$`));
  expect(proposal!.text).toMatch(/Mobile number\s+Phone\s+\d+%\s+\+34 612 345 678/);
  expect(proposal!.text).toContain('reply "yes"');
  expect(proposal!.html).toContain('<table');
  expect(proposal!.attachments.map((a) => a.filename)).toEqual(['intake-clients-template.csv']);
  const [importId] = await importIdsOf(replyTo(proposal!));

  const body = replyMail({
    from: `Ana <${ana}>`,
    to: replyTo(proposal!),
    body: 'Yes!',
    inReplyTo: proposal!.messageId,
  });
  expect(await send(h, { from: ana, to: replyTo(proposal!) }, body)).toEqual({ ok: true });
  const [, started] = await repliesTo(sink, ana, 2);
  expect(started!.text!.trim()).toBe(START_MESSAGE);
  expect(started!.inReplyTo).toMatch(/^<reply-/);

  const done = await waitForEnd(h, importId!);
  expect([done.status, done.error]).toEqual(['completed', null]);
  expect(done.counts).toEqual({ total: 3, imported: 2, updated: 0, unchanged: 0, skipped: 1, flagged: 0 });
  const [, , summary] = await repliesTo(sink, ana, 3);
  expect(summary!.text).toContain('Imported:   2');
  expect(summary!.text).toContain('Skipped:    1');
  const report = summary!.attachments[0]!;
  expect(report.filename).toBe('skipped-rows-fair-clients.csv');
  expect(report.content.toString()).toContain(
    '3,"invalid email ""bob@example""",skipped,Bob,Stone,bob@example',
  );
  const stored = await h.app.context.get(RecordsRepository).list(h.workspaceId, 'clients', 1, 50);
  const emails = JSON.stringify(stored);
  expect(emails).toContain('ana.garcia@example.net');
  expect(emails).toContain('cleo@example.org');

  // The token is single-use: a second "yes" is refused in the session.
  const again = await send(h, { from: ana, to: replyTo(proposal!) }, body);
  expect(again).toMatchObject({ ok: false, code: 550 });
  expect(again.response).toMatch(/already used/);
  expect(again.response).toContain(`To import again, send the file to clients@${DOMAIN}`);
});

test('Outlook, quoted-printable, RFC 2231 name, Windows-1252: corrections, duplicates: update and dry run', async () => {
  const ana = person('jm');
  expect(
    (await send(h, { from: ana, to: `clients@${DOMAIN}` }, fixture('outlook-qp-rfc2231-cp1252.eml', ana))).ok,
  ).toBe(true);
  const [proposal] = await repliesTo(sink, ana);
  expect(proposal!.text).toContain('Kunden München.csv (clients, windows-1252');
  expect(proposal!.text).toContain('München');
  const [id] = await importIdsOf(replyTo(proposal!));

  const body = replyMail({
    from: ana,
    to: replyTo(proposal!),
    body: 'Hi,\n\nnotes: Stadt\nTelefon -> skip\nduplicates: update\ndry run\n\nThanks\nJürgen',
  });
  expect((await send(h, { from: ana, to: replyTo(proposal!) }, body)).ok).toBe(true);
  const [, started] = await repliesTo(sink, ana, 2);
  // A dry run writes nothing, so it does not promise records.
  expect(started!.text!.trim()).toBe(DRY_RUN_START_MESSAGE);
  const done = await waitForEnd(h, id!);
  expect(done).toMatchObject({ dryRun: true, onDuplicate: 'update', status: 'completed' });
  expect(done.columns.map((c) => c.field)).toEqual(['firstName', 'lastName', 'email', null, 'notes']);
  const [, , summary] = await repliesTo(sink, ana, 3);
  expect(summary!.text).toContain('Dry run of Kunden München.csv finished: nothing was written');
  expect(summary!.text).toContain('reply "yes"');
  expect(replyTo(summary!)).toMatch(/^import\+/);
  expect(summary!.attachments).toHaveLength(0);

  // The dry run's summary can be answered "yes": the same import then runs for real.
  const real = replyMail({ from: ana, to: replyTo(summary!), body: 'Yes' });
  expect((await send(h, { from: ana, to: replyTo(summary!) }, real)).ok).toBe(true);
  const [, , , startedForReal, realSummary] = await repliesTo(sink, ana, 5);
  expect(startedForReal!.text!.trim()).toBe(START_MESSAGE);
  expect(realSummary!.text).toContain('Import of Kunden München.csv finished.');
  expect(await h.imports.get(h.workspaceId, id!)).toMatchObject({ dryRun: false, status: 'completed' });
});

test('a reply that cannot be understood gets what was understood, imports nothing, and the token still works', async () => {
  const ana = person('nu');
  await send(h, { from: ana, to: `clients@${DOMAIN}` }, fixture('gmail-base64.eml', ana));
  const [proposal] = await repliesTo(sink, ana);
  const [id] = await importIdsOf(replyTo(proposal!));
  const unclear = replyMail({
    from: ana,
    to: replyTo(proposal!),
    body: 'Phone = Handy number\nplease use the second column for the surname thing',
  });
  expect((await send(h, { from: ana, to: replyTo(proposal!) }, unclear)).ok).toBe(true);
  const [, answer] = await repliesTo(sink, ana, 2);
  expect(answer!.text).toContain('Nothing was imported');
  expect(answer!.text).toContain('The file has no column "Handy number"');
  expect(answer!.text).toContain('I could not read "use the second column for the surname thing"');
  expect(replyTo(answer!)).toBe(replyTo(proposal!));
  expect((await h.imports.get(h.workspaceId, id!)).status).toBe('awaiting_mapping');

  const yes = replyMail({ from: ana, to: replyTo(proposal!), body: 'oui.' });
  expect((await send(h, { from: ana, to: replyTo(proposal!) }, yes)).ok).toBe(true);
  const [, , started] = await repliesTo(sink, ana, 3);
  expect(started!.text!.trim()).toBe(START_MESSAGE);
});

test('a confirmation from anyone but the original sender is refused; expired tokens are refused', async () => {
  const ana = person('owner');
  const bob = person('bob');
  await send(h, { from: ana, to: `clients@${DOMAIN}` }, fixture('gmail-base64.eml', ana));
  const [proposal] = await repliesTo(sink, ana);
  const to = replyTo(proposal!);
  const refused = await send(h, { from: bob, to }, replyMail({ from: bob, to, body: 'yes' }));
  expect(refused).toMatchObject({ ok: false, code: 550 });
  expect(refused.response).toMatch(/5\.7\.1 Only the person who sent the file/);
  expect(refused.response).toContain(
    `To import it yourself, send the file to clients@, leads@ or companies@${DOMAIN}`,
  );
  // The envelope may be the owner's, the From header is not: still refused.
  expect(await send(h, { from: ana, to }, replyMail({ from: bob, to, body: 'yes' }))).toMatchObject({
    code: 550,
  });

  const token = /^import\+([^@]+)@/.exec(to)![1]!;
  const secret = await h.app.context.get(ReplySecret).get();
  const expired = issueToken(secret, readToken(token)!.conversationId, new Date(Date.now() - 60_000), ana);
  const old = `import+${expired}@${DOMAIN}`;
  const res = await send(h, { from: ana, to: old }, replyMail({ from: ana, to: old, body: 'yes' }));
  expect(res).toMatchObject({ ok: false, code: 550 });
  expect(res.response).toMatch(/expired/);
  const forged = `import+${token.slice(0, -4)}0000@${DOMAIN}`;
  expect(
    await send(h, { from: ana, to: forged }, replyMail({ from: ana, to: forged, body: 'yes' })),
  ).toMatchObject({
    code: 550,
  });
});

test('recipients other than the import addresses are refused at RCPT with 550 5.1.1', async () => {
  const ana = person('rcpt');
  for (const to of [`sales@${DOMAIN}`, 'clients@elsewhere.test', `import+nonsense@${DOMAIN}`]) {
    const res = await send(h, { from: ana, to }, fixture('gmail-base64.eml', ana));
    expect(res).toMatchObject({ ok: false, code: 550 });
    expect(res.response).toMatch(/5\.1\.1/);
  }
  const forged = await send(
    h,
    { from: ana, to: `import+abcdefgh12345678@${DOMAIN}` },
    fixture('gmail-base64.eml', ana),
  );
  expect(forged.response).toContain(
    `5.1.1 No such reply address: reply to Intake's latest message in your thread, or send the file again to clients@, leads@ or companies@${DOMAIN}`,
  );
});

test('senders the workspace does not allow are refused with 550 5.7.1 and never answered', async () => {
  const res = await send(
    h,
    { from: 'mallory@evil.test', to: `clients@${DOMAIN}` },
    fixture('gmail-base64.eml'),
  );
  expect(res).toMatchObject({ ok: false, code: 550 });
  expect(res.response).toMatch(/5\.7\.1 Sender not allowed/);
  expect(res.response).toContain('ask whoever runs Intake for your team to allow your address or domain');
  // Allowed envelope, but a From header the workspace does not allow: refused at the end of DATA.
  const ana = person('spoof');
  const spoofed = fixture('gmail-base64.eml', 'mallory@evil.test');
  expect(await send(h, { from: ana, to: `clients@${DOMAIN}` }, spoofed)).toMatchObject({
    ok: false,
    code: 550,
  });
  await new Promise((r) => setTimeout(r, 1000));
  expect(sink.mails.filter((m) => /mallory/.test(JSON.stringify(m.to)))).toHaveLength(0);
});

test('a near-limit attachment is accepted; an oversized message is answered 552', async () => {
  const ana = person('big');
  const row = 'Some,Person,some.person@example.net,+1 555 0100,padding padding padding padding\n';
  const csv = (bytes: number) =>
    'First Name,Last Name,Email,Phone,Notes\n' + row.repeat(Math.floor(bytes / row.length));
  const message = (csvBytes: number) =>
    [
      `From: ${ana}`,
      `To: clients@${DOMAIN}`,
      'Subject: big',
      'Message-ID: <big@example.com>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/csv; name="big.csv"',
      'Content-Disposition: attachment; filename="big.csv"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from(csv(csvBytes)).toString('base64').replace(/.{76}/g, '$&\r\n'),
      '--b--',
      '',
    ].join('\r\n');
  const near = message(140_000);
  expect(near.length).toBeGreaterThan(MAX_BYTES * 0.9);
  expect(near.length).toBeLessThan(MAX_BYTES);
  expect(await send(h, { from: ana, to: `clients@${DOMAIN}` }, near)).toEqual({ ok: true });
  const [proposal] = await repliesTo(sink, ana);
  expect(proposal!.text).toContain('big.csv');

  const res = await send(h, { from: ana, to: `clients@${DOMAIN}` }, message(160_000));
  expect(res).toMatchObject({ ok: false, code: 552 });
});

test('automated mail is never answered: auto-replies, bounces, bulk and list mail', async () => {
  const ana = person('robot');
  const to = `clients@${DOMAIN}`;
  expect(await send(h, { from: ana, to }, fixture('auto-reply.eml', ana))).toEqual({ ok: true });
  const daemon = fixture('bounce-report.eml').replace(
    /MAILER-DAEMON@example\.com/,
    'MAILER-DAEMON@example.com',
  );
  // A real bounce has the null sender: refused outright (nobody is allowed "<>").
  expect(await send(h, { from: '', to }, daemon)).toMatchObject({ ok: false, code: 550 });
  // A report from an allowed domain's daemon: accepted, never answered.
  expect(await send(h, { from: ana, to }, daemon)).toEqual({ ok: true });
  const gmail = fixture('gmail-base64.eml', ana);
  for (const header of ['Precedence: bulk', 'List-Id: <crm.example.com>', 'Auto-Submitted: auto-generated']) {
    expect(await send(h, { from: ana, to }, `${header}\r\n${gmail}`)).toEqual({ ok: true });
  }
  // A message from a person afterwards is answered: exactly one reply in all.
  await send(h, { from: ana, to }, fixture('no-csv.eml', ana));
  await repliesTo(sink, ana, 1);
  await new Promise((r) => setTimeout(r, 1000));
  const got = sink.mails.filter((m) => JSON.stringify(m.to).includes(ana));
  expect(got).toHaveLength(1);
  expect(got[0]!.subject).toBe('Re: How do I import?');
});

test('several CSVs become several imports; file names are sanitized', async () => {
  const ana = person('two');
  await send(h, { from: ana, to: `leads@${DOMAIN}` }, fixture('two-csvs.eml', ana));
  const [proposal] = await repliesTo(sink, ana);
  const ids = await importIdsOf(replyTo(proposal!));
  expect(ids).toHaveLength(2);
  const views = await Promise.all(ids.map((id) => h.imports.get(h.workspaceId, id)));
  expect(views.map((v) => [v.fileName, v.type, v.channel])).toEqual([
    ['web.csv', 'leads', 'email'],
    ['fair.csv', 'leads', 'email'],
  ]);
  expect(proposal!.text).toContain('I read 2 files');
  expect(proposal!.attachments[0]!.filename).toBe('intake-leads-template.csv');
});

test('RFC 2047 name, UTF-16 CSV; a forwarded message holding the CSV', async () => {
  const ana = person('u16');
  await send(h, { from: ana, to: `leads@${DOMAIN}` }, fixture('rfc2047-utf16.eml', ana));
  const [p1] = await repliesTo(sink, ana);
  expect(p1!.subject).toBe('Re: Leads de la fête');
  const [id] = await importIdsOf(replyTo(p1!));
  const v = await h.imports.get(h.workspaceId, id!);
  expect([v.fileName, v.encoding, v.delimiter]).toEqual(['leads fête.csv', 'utf-16le', '\t']);
  expect(v.columns.map((c) => c.field)).toEqual(['fullName', 'email', 'phone']);
  expect(v.columns[0]!.samples[0]).toBe('Chloé Dubois');

  const fwd = person('fwd');
  await send(h, { from: fwd, to: `clients@${DOMAIN}` }, fixture('forwarded-eml.eml', fwd));
  const [p2] = await repliesTo(sink, fwd);
  const [fid] = await importIdsOf(replyTo(p2!));
  const f = await h.imports.get(h.workspaceId, fid!);
  expect(f.columns.map((c) => c.field)).toEqual(['firstName', 'lastName', 'email']);
  expect(f.fileName).toBe('export');
});

test('a zip named .csv is answered with the reason; no CSV and winmail.dat get how-to replies with the template', async () => {
  const zip = person('zip');
  await send(h, { from: zip, to: `clients@${DOMAIN}` }, fixture('zip-named-csv.eml', zip));
  const [z] = await repliesTo(sink, zip);
  expect(z!.text).toMatch(/contacts\.csv was not imported: .*(binary|Excel|CSV)/i);
  expect(z!.replyTo).toBeUndefined();

  const none = person('none');
  await send(h, { from: none, to: `companies@${DOMAIN}` }, fixture('no-csv.eml', none));
  const [nc] = await repliesTo(sink, none);
  expect(nc!.text).toContain('I found no CSV file in your message');
  expect(nc!.text).toContain(`companies@${DOMAIN}`);
  expect(nc!.attachments[0]!.filename).toBe('intake-companies-template.csv');

  const tnef = person('tnef');
  await send(h, { from: tnef, to: `clients@${DOMAIN}` }, fixture('winmail-dat.eml', tnef));
  const [t] = await repliesTo(sink, tnef);
  expect(t!.text).toContain('winmail.dat');
});

// Email auto-start needs an authenticated sender: see test/security/email-auth.test.ts.

test('a reply the relay refuses is retried and delivered once', async () => {
  const ana = person('retry');
  sink.failNext = 1;
  expect(await send(h, { from: ana, to: `clients@${DOMAIN}` }, fixture('no-csv.eml', ana))).toEqual({
    ok: true,
  });
  await repliesTo(sink, ana, 1, 30_000);
  expect(sink.failNext).toBe(0);
  await new Promise((r) => setTimeout(r, 500));
  expect(sink.mails.filter((m) => JSON.stringify(m.to).includes(ana))).toHaveLength(1);
});

test('the answer limit refuses new mail in the session with 451 and when to retry; accepted mail is always answered', async () => {
  const outbox = h.app.context.get(OutboxService);
  const ana = person('flood');
  outbox.limitPerHour = 2;
  try {
    expect(await send(h, { from: ana, to: `clients@${DOMAIN}` }, fixture('gmail-base64.eml', ana))).toEqual({
      ok: true,
    });
    const [proposal] = await repliesTo(sink, ana);
    const [id] = await importIdsOf(replyTo(proposal!));
    const yes = replyMail({ from: ana, to: replyTo(proposal!), body: 'yes' });
    expect(await send(h, { from: ana, to: replyTo(proposal!) }, yes)).toEqual({ ok: true });
    // The start answer and the summary both come, though the summary is past the limit: the message
    // that asked for them was accepted.
    const [, started, summary] = await repliesTo(sink, ana, 3);
    expect(started!.text!.trim()).toBe(START_MESSAGE);
    expect(summary!.text).toContain('Import of fair-clients.csv finished.');
    expect((await waitForEnd(h, id!)).status).toBe('completed');

    const refused = await send(h, { from: ana, to: `clients@${DOMAIN}` }, fixture('no-csv.eml', ana));
    expect(refused).toMatchObject({ ok: false, code: 451 });
    expect(refused.response).toMatch(/4\.7\.1 Intake has answered you 2 times this hour/);
    expect(refused.response).toMatch(/Send it again after \d\d:00 UTC/);
    expect(sink.mails.filter((m) => JSON.stringify(m.to).includes(ana))).toHaveLength(3);
  } finally {
    outbox.limitPerHour = 30;
  }
});
