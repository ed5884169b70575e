import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, Server, Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailAuthCheck } from '../../src/protocols/mail/mail-auth.check';
import { Harness, startHarness } from '../support/intake-harness';
import { fixture, RawSmtp, repliesTo, send, smtpPort, Sink, startSink } from './mail-support';

const DOMAIN = 'import.test';

/** A TCP proxy in front of the database that the test can cut: the server really loses its DB. */
class CuttableProxy {
  private server: Server | null = null;
  private sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}
  async up(): Promise<void> {
    if (this.server) return;
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', () => r()));
    this.port = (this.server.address() as { port: number }).port;
  }
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.sockets.forEach((s) => s.destroy());
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}

describe('an internal error answers 451, never a silent loss', () => {
  let h: Harness;
  let sink: Sink;
  let proxy: CuttableProxy;

  beforeAll(async () => {
    const db = new URL(process.env.MONGODB_URI!);
    proxy = new CuttableProxy({ host: db.hostname, port: Number(db.port) });
    await proxy.up();
    db.host = `127.0.0.1:${proxy.port}`;
    db.pathname = `/email_451_${Date.now().toString(36)}`;
    sink = await startSink();
    h = await startHarness('email451', {
      MONGODB_URI: db.toString(),
      INTAKE_ROLES: 'api,smtp,worker',
      SMTP_PORT: '0',
      IMPORT_DOMAIN: DOMAIN,
      OUTBOUND_SMTP_URL: sink.url,
      INTAKE_ALLOWED_SENDERS: 'ana@example.com',
      LOG_LEVEL: 'silent',
    });
  });
  afterAll(async () => {
    await proxy.up();
    await h.close();
    await sink.close();
    await proxy.cut();
  });

  test('storage unreachable at the end of DATA → 451; once it is back the same message is accepted and answered', async () => {
    const c = await RawSmtp.open(smtpPort(h));
    expect(await c.cmd('EHLO client.example.com')).toMatch(/^250/);
    expect(await c.cmd('MAIL FROM:<ana@example.com>')).toMatch(/^250/);
    expect(await c.cmd(`RCPT TO:<clients@${DOMAIN}>`)).toMatch(/^250/);
    await proxy.cut();
    expect(await c.cmd('DATA')).toMatch(/^354/);
    const body = fixture('gmail-base64.eml').replace(/^\./gm, '..');
    const answer = await c.cmd(`${body}\r\n.`);
    expect(answer).toMatch(/^451 4\.3\.0/);
    c.close();

    await proxy.up();
    const res = await send(
      h,
      { from: 'ana@example.com', to: `clients@${DOMAIN}` },
      fixture('gmail-base64.eml'),
    );
    expect(res).toEqual({ ok: true });
    const [reply] = await repliesTo(sink, 'ana@example.com', 1, 30_000);
    expect(reply!.subject).toBe('Re: Clients from the trade fair');
  });
});

describe('STARTTLS and mailauth', () => {
  let h: Harness;
  let plain: Harness | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'intake-tls-'));
  let tls = false;
  const records: Record<string, string[][]> = {
    'spf-fail.test|TXT': [['v=spf1 ip4:203.0.113.0/24 -all']],
    '_dmarc.spf-fail.test|TXT': [['v=DMARC1; p=reject']],
    'spf-pass.test|TXT': [['v=spf1 ip4:127.0.0.1 ip6:::1 -all']],
  };

  beforeAll(async () => {
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          `/CN=${DOMAIN}`,
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      tls = existsSync(join(dir, 'cert.pem'));
    } catch {
      tls = false;
    }
    h = await startHarness('emailauth', {
      INTAKE_ROLES: 'api,smtp,worker',
      SMTP_PORT: '0',
      IMPORT_DOMAIN: DOMAIN,
      INTAKE_ALLOWED_SENDERS: '@spf-fail.test,@spf-pass.test',
      INTAKE_MAIL_AUTH: 'enforce',
      ...(tls ? { SMTP_TLS_KEY: join(dir, 'key.pem'), SMTP_TLS_CERT: join(dir, 'cert.pem') } : {}),
    });
    // Offline DNS: mailauth asks this resolver instead of the network.
    h.app.context.get(MailAuthCheck).useResolver(async (name: string, type: string) => {
      const found = records[`${name.toLowerCase()}|${type}`];
      if (found) return found;
      throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    });
  });
  afterAll(async () => {
    await h.close();
    await plain?.close();
  });

  test('a message failing SPF/DMARC is refused with 550 5.7.26; a passing one is accepted', async () => {
    const fail = fixture('gmail-base64.eml', 'ana@spf-fail.test');
    const refused = await send(h, { from: 'ana@spf-fail.test', to: `clients@${DOMAIN}` }, fail);
    expect(refused).toMatchObject({ ok: false, code: 550 });
    expect(refused.response).toMatch(/5\.7\.26 DMARC/);
    const pass = fixture('gmail-base64.eml', 'ana@spf-pass.test');
    expect(await send(h, { from: 'ana@spf-pass.test', to: `clients@${DOMAIN}` }, pass)).toEqual({ ok: true });
  });

  test('STARTTLS is offered only with a key and certificate', async () => {
    if (!tls) {
      console.warn('openssl is not installed: skipping the STARTTLS check');
      return;
    }
    const c = await RawSmtp.open(smtpPort(h));
    expect(await c.cmd('EHLO client.example.com')).toMatch(/STARTTLS/);
    expect(await c.cmd('AUTH PLAIN AGFuYQBzZWNyZXQ=')).toMatch(/^5\d\d/);
    c.close();
    const withTls = await send(
      h,
      { from: 'ana@spf-pass.test', to: `clients@${DOMAIN}` },
      fixture('no-csv.eml', 'ana@spf-pass.test'),
      { requireTLS: true },
    );
    expect(withTls).toEqual({ ok: true });

    plain = await startHarness('emailplain', { INTAKE_ROLES: 'smtp', SMTP_PORT: '0', IMPORT_DOMAIN: DOMAIN });
    const p = await RawSmtp.open(smtpPort(plain));
    const ehlo = await p.cmd('EHLO client.example.com');
    expect(ehlo).toMatch(/^250/);
    expect(ehlo).not.toMatch(/STARTTLS|AUTH/);
    p.close();
  });
});
