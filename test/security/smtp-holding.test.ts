import { fixture, MailDoor, RawSmtp, send, smtpPort, startMailDoor } from '../email/mail-support';

// Clients that try to hold the SMTP server without sending mail: real SMTP on loopback. 127.0.0.1 is the
// client holding connections, 127.0.0.2 an honest sending server (both loopback on Linux).

const DOMAIN = 'import.test';
const HOLDER = '127.0.0.1';
const HONEST = '127.0.0.2';

/** Sends `commands` in turn every `everyMs` until the server closes; returns every reply and the time taken. */
async function keepBusy(c: RawSmtp, commands: string[], everyMs: number) {
  const started = Date.now();
  const replies: string[] = [];
  for (let i = 0; ; i++) {
    try {
      replies.push(await c.cmd(commands[i % commands.length]!));
    } catch {
      break; // closed without answering the last command
    }
    if (replies.at(-1)?.startsWith('421')) break;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  await c.closed();
  return { replies, ms: Date.now() - started };
}

describe('with the default bounds', () => {
  let door: MailDoor;
  beforeAll(async () => {
    door = await startMailDoor('smtp_holding_default', DOMAIN);
  });
  afterAll(() => door.close());

  test('50 connections from one address: 5 are served, the rest get 421 4.7.0 and are closed; another address still delivers', async () => {
    const port = smtpPort(door.h);
    const held: RawSmtp[] = [];
    for (let i = 0; i < 5; i++) held.push(await RawSmtp.open(port, HOLDER));
    const refusals: string[] = [];
    for (let i = 0; i < 45; i++) {
      const extra = await RawSmtp.connect(port, HOLDER);
      refusals.push(await extra.reply());
      await extra.closed();
    }
    expect(new Set(refusals)).toEqual(
      new Set([
        '421 4.7.0 Too many connections from your address: at most 5 at once. Finish or close one, then try again\r\n',
      ]),
    );
    for (const c of held) expect(await c.cmd('NOOP')).toMatch(/^250/);

    const honest = await send(
      door.h,
      { from: 'ana@example.com', to: `clients@${DOMAIN}` },
      fixture('two-csvs.eml'),
      { localAddress: HONEST },
    );
    expect(honest).toEqual({ ok: true });

    held.pop()!.close();
    const next = await waitForGreeting(port);
    expect(next.greeting).toMatch(/^220 /);
    next.c.close();
    for (const c of held) c.close();
  });
});

/** A connection from the holder once the server has seen the last one go. */
async function waitForGreeting(port: number): Promise<{ c: RawSmtp; greeting: string }> {
  const until = Date.now() + 10_000;
  for (;;) {
    const c = await RawSmtp.connect(port, HOLDER);
    const greeting = await c.reply();
    if (greeting.startsWith('220') || Date.now() > until) return { c, greeting };
    await c.closed();
  }
}

describe('with short bounds in time', () => {
  const IDLE_MS = 2000;
  const SESSION_MS = 5000;
  let door: MailDoor;
  beforeAll(async () => {
    door = await startMailDoor('smtp_holding_time', DOMAIN, {
      INTAKE_SMTP_IDLE_MS: String(IDLE_MS),
      INTAKE_SMTP_SESSION_MS: String(SESSION_MS),
    });
  });
  afterAll(() => door.close());

  test('a client looping NOOP, RSET and HELO without starting a message is closed with 421 4.4.2 at the idle bound', async () => {
    const c = await RawSmtp.open(smtpPort(door.h), HOLDER);
    const { replies, ms } = await keepBusy(
      c,
      ['EHLO holder.example', 'NOOP', 'RSET', 'HELO holder.example'],
      200,
    );
    expect(replies.at(-1)).toBe('421 4.4.2 No message started for 2 s: closing the connection\r\n');
    expect(replies.slice(0, -1).every((r) => /^250[ -]/.test(r))).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(IDLE_MS - 300);
    expect(ms).toBeLessThan(SESSION_MS);
  });

  test('a client starting messages it never sends is closed with 421 4.4.2 at the session bound', async () => {
    const c = await RawSmtp.open(smtpPort(door.h), HOLDER);
    expect(await c.cmd('EHLO holder.example')).toMatch(/^250/);
    const { replies, ms } = await keepBusy(c, ['MAIL FROM:<ana@example.com>', 'RSET'], 300);
    expect(replies.at(-1)).toBe(
      '421 4.4.2 Connection open for 5 s, the longest allowed: closing it, reconnect to send more\r\n',
    );
    expect(replies.filter((r) => r.startsWith('250')).length).toBeGreaterThan(6);
    expect(ms).toBeGreaterThanOrEqual(SESSION_MS - 500);
  });

  test('a message sent slowly, longer than the idle bound, is accepted', async () => {
    const c = await RawSmtp.open(smtpPort(door.h), HONEST);
    expect(await c.cmd('EHLO honest.example')).toMatch(/^250/);
    expect(await c.cmd('MAIL FROM:<ana@example.com>')).toMatch(/^250/);
    expect(await c.cmd(`RCPT TO:<clients@${DOMAIN}>`)).toMatch(/^250/);
    expect(await c.cmd('DATA')).toMatch(/^354/);
    const lines = fixture('two-csvs.eml').split(/\r?\n/);
    const started = Date.now();
    for (const [i, line] of lines.entries()) {
      c.write(`${line.startsWith('.') ? '.' : ''}${line}\r\n`);
      if (i % 2 === 0) await new Promise((r) => setTimeout(r, 250));
    }
    expect(Date.now() - started).toBeGreaterThan(IDLE_MS);
    expect(await c.cmd('.')).toMatch(/^250 OK: queued as /);
    expect(await c.cmd('QUIT')).toMatch(/^221/);
    c.close();
  });
});
