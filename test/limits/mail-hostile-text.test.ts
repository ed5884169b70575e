import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { ConversationsRepository } from '../../src/doors/email/conversations.repository';
import { readToken } from '../../src/protocols/mail/reply-token';
import { START_MESSAGE } from '../../src/engine/imports/import-view';
import type { Harness } from '../support/intake-harness';
import { fixture, RawSmtp, repliesTo, send, Sink, smtpPort, startMailDoor } from '../email/mail-support';
import { csvMail } from '../security/email-auth-support';
import { expectNothingStoredSince, stored } from '../security/email-auth-support';
import { eventually, measureInboundCpu, rawMessages } from './mail-limits-support';

let h: Harness;
let sink: Sink;
const DOMAIN = 'import.test';
let n = 0;
const person = (tag: string) => `${tag}-${++n}@example.com`;

let close: () => Promise<void>;

beforeAll(async () => {
  ({ h, sink, close } = await startMailDoor('mail-hostile-text', DOMAIN, {
    SMTP_MAX_BYTES: String(25 * 1024 * 1024),
  }));
});
afterAll(() => close());

/**
 * Each of these attacks cost seconds of CPU before it was bounded (a 60 KB address 4–5 s, 20 MB of HTML
 * 7 s and 800 MB). The figures are printed; the guard sits far above them (up to ~1 s for 20 MB on a
 * loaded two-core machine, most of it decoding the message) so that only the return of the unbounded
 * work fails it, never a busy machine. Speed itself is the benchmarks' business.
 */
const CPU_GUARD_MS = 4000;

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** A message whose only body is `html`, in lines of 76 characters as a mail client would write them. */
function htmlMail(opts: { from: string; to: string; html: string; inReplyTo?: string }): string {
  const lines = opts.html.match(/[^]{1,76}/g) ?? [];
  return [
    `From: ${opts.from}`,
    `To: ${opts.to}`,
    'Subject: Re: Clients from the trade fair',
    `Message-ID: <html-${Math.random().toString(36).slice(2)}@example.com>`,
    ...(opts.inReplyTo ? [`In-Reply-To: ${opts.inReplyTo}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/html; charset=utf-8',
    '',
    ...lines,
    '',
  ].join('\r\n');
}

/** 20 MB of markup: thousands of nested and sibling tags, the shape that made html-to-text slow. */
const TWENTY_MB_OF_HTML = '<div><b>x</b> <i>y</i> <span>z</span></div>'.repeat(480_000);

test('a From header with a 60 KB address is refused in the session, quickly, and nothing is stored', async () => {
  const before = await stored(h);
  const address = `${'a'.repeat(60_000)}@example.com`;
  const raw = [
    `From: <${address}>`,
    `To: clients@${DOMAIN}`,
    'Subject: long',
    'MIME-Version: 1.0',
    'Content-Type: text/plain',
    '',
    'hello',
    '',
  ].join('\r\n');
  const started = process.cpuUsage();
  const res = await send(h, { from: 'allowed@example.com', to: `clients@${DOMAIN}` }, raw);
  const used = cpuMs(started);
  expect(res.ok).toBe(false);
  expect(res.code).toBe(550);
  expect(res.response).toContain('the From header is too long');
  await expectNothingStoredSince(h, before);
  console.log(`60 KB From address: whole SMTP exchange ${Math.round(used)} ms CPU (client and server)`);
  expect(used).toBeLessThan(CPU_GUARD_MS);
});

test('a first message of 20 MB of HTML is handled without the unbounded HTML reading, and answered', async () => {
  const ana = person('html');
  const cpu = measureInboundCpu(h);
  try {
    const html = `<p>Here is nothing attached.</p>${TWENTY_MB_OF_HTML}`;
    expect(
      await send(
        h,
        { from: ana, to: `clients@${DOMAIN}` },
        htmlMail({ from: ana, to: `clients@${DOMAIN}`, html }),
      ),
    ).toEqual({ ok: true });
    const [answer] = await repliesTo(sink, ana, 1, 60_000);
    expect(answer!.text).toContain('I found no CSV file in your message.');
    await eventually(async () => cpu.runs.length === 1);
    console.log(`20 MB HTML first message: inbound handler ${Math.round(cpu.runs[0]!.cpuMs)} ms CPU`);
    expect(cpu.runs[0]!.cpuMs).toBeLessThan(CPU_GUARD_MS);
    expect(await rawMessages(h)).toBe(0);
  } finally {
    cpu.restore();
  }
});

test('a reply of 20 MB of HTML with "yes" at the top starts the import without the unbounded HTML reading', async () => {
  const ana = person('html-reply');
  expect(await send(h, { from: ana, to: `clients@${DOMAIN}` }, fixture('gmail-base64.eml', ana))).toEqual({
    ok: true,
  });
  const [proposal] = await repliesTo(sink, ana);
  const replyAddress = proposal!.replyTo!.value[0]!.address!;
  const cpu = measureInboundCpu(h);
  try {
    const html = `<div>Yes!</div><div>Thanks, Ana</div>${TWENTY_MB_OF_HTML}<blockquote>cancel</blockquote>`;
    const reply = htmlMail({ from: ana, to: replyAddress, html, inReplyTo: proposal!.messageId });
    expect(await send(h, { from: ana, to: replyAddress }, reply)).toEqual({ ok: true });
    const [, started] = await repliesTo(sink, ana, 2, 60_000);
    expect(started!.text!.trim()).toBe(START_MESSAGE);
    const token = /^import\+([^@]+)@/.exec(replyAddress)![1]!;
    const conv = await h.app.context.get(ConversationsRepository).find(readToken(token)!.conversationId);
    expect(conv!.usedAt).not.toBeNull();
    await eventually(async () => cpu.runs.length === 1);
    console.log(`20 MB HTML reply: inbound handler ${Math.round(cpu.runs[0]!.cpuMs)} ms CPU`);
    expect(cpu.runs[0]!.cpuMs).toBeLessThan(CPU_GUARD_MS);
  } finally {
    cpu.restore();
  }
});

test('a reply of 60 KB on one line, shaped to make quote-detection regexes backtrack, is answered without backtracking', async () => {
  const ana = person('long-line');
  expect(await send(h, { from: ana, to: `clients@${DOMAIN}` }, fixture('gmail-base64.eml', ana))).toEqual({
    ok: true,
  });
  const [proposal] = await repliesTo(sink, ana);
  const replyAddress = proposal!.replyTo!.value[0]!.address!;
  const cpu = measureInboundCpu(h);
  try {
    const body = `${'1234from<'.repeat(7_000)}\r\n${'duplicates'}${' '.repeat(60_000)}x`;
    const reply = [
      `From: ${ana}`,
      `To: ${replyAddress}`,
      'Subject: Re: Clients from the trade fair',
      `In-Reply-To: ${proposal!.messageId}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
      '',
    ].join('\r\n');
    expect(await send(h, { from: ana, to: replyAddress }, reply)).toEqual({ ok: true });
    const [, answer] = await repliesTo(sink, ana, 2, 60_000);
    expect(answer!.text).toContain('Nothing was imported: I could not act on your reply.');
    await eventually(async () => cpu.runs.length === 1);
    console.log(`60 KB hostile reply line: inbound handler ${Math.round(cpu.runs[0]!.cpuMs)} ms CPU`);
    expect(cpu.runs[0]!.cpuMs).toBeLessThan(CPU_GUARD_MS);
  } finally {
    cpu.restore();
  }
});

test('an envelope sender longer than an address can be is refused at MAIL FROM, and nothing is stored', async () => {
  const before = await stored(h);
  const smtp = await RawSmtp.open(smtpPort(h));
  try {
    expect(await smtp.cmd('EHLO sender.example')).toMatch(/^250/);
    // smtp-server's strict address syntax refuses an address over the RFC lengths.
    expect(await smtp.cmd(`MAIL FROM:<${'a'.repeat(1_000)}@example.com>`)).toMatch(/^501 /);
    // 60 KB on one command line: refused by the line limit before any parsing, and the connection closed.
    expect(await smtp.cmd(`MAIL FROM:<${'a'.repeat(60_000)}@example.com>`)).toMatch(
      /^421 .*Command line too long/,
    );
  } finally {
    smtp.close();
  }
  await expectNothingStoredSince(h, before);
});

test('a 60 KB subject is cut to one mail line in the answer and in what is stored', async () => {
  const ana = person('subject');
  const subject = 's'.repeat(60_000);
  expect(
    await send(
      h,
      { from: ana, to: `clients@${DOMAIN}` },
      csvMail({ from: ana, to: `clients@${DOMAIN}`, subject }),
    ),
  ).toEqual({
    ok: true,
  });
  const [answer] = await repliesTo(sink, ana);
  expect(answer!.subject).toBe(`Re: ${'s'.repeat(998)}`);
  const db = h.app.context.get<Connection>(getConnectionToken()).db!;
  const made = await db.collection('imports').findOne({ 'origin.sender': ana });
  expect((made!.origin as { subject: string }).subject).toHaveLength(998);
});
