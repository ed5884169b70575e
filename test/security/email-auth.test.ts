import { ConversationsRepository } from '../../src/doors/email/conversations.repository';
import { MailAuthCheck } from '../../src/protocols/mail/mail-auth.check';
import { readToken } from '../../src/protocols/mail/reply-token';
import { START_MESSAGE } from '../../src/engine/imports/import-view';
import { WorkspacesService } from '../../src/engine/workspaces/workspaces.service';
import { replyMail, repliesTo, send, Sink, startSink } from '../email/mail-support';
import { Harness, startHarness } from '../support/intake-harness';
import { arcSealed, csvMail, dkimSigned, stored, TestDns } from './email-auth-support';

// Attacks on the email door with INTAKE_MAIL_AUTH=enforce: real SMTP on loopback, real mailauth, DKIM
// keys and signatures made here, DNS answered by the test. 127.0.0.1 is the senders' server (SPF of
// some domains allows it); 127.0.0.2 is the forwarding relay the operator names.

const DOMAIN = 'import.test';
const TO = `clients@${DOMAIN}`;
const RELAY_IP = '127.0.0.2';

const dns = new TestDns()
  // DMARC p=reject; its SPF allows only a server that is not ours, so it passes only by DKIM.
  .record('good.example', 'v=spf1 ip4:192.0.2.1 -all')
  .record('_dmarc.good.example', 'v=DMARC1; p=reject')
  // No DMARC; its SPF allows the test's server.
  .record('spf.example', 'v=spf1 ip4:127.0.0.1 -all')
  .record('auto.example', 'v=spf1 ip4:127.0.0.1 -all')
  // No DMARC, SPF softfail for everyone.
  .record('soft.example', 'v=spf1 ~all')
  // DMARC p=none (monitoring only), SPF fails from here.
  .record('lax.example', 'v=spf1 ip4:192.0.2.1 -all')
  .record('_dmarc.lax.example', 'v=DMARC1; p=none')
  // No DMARC, SPF fails from here.
  .record('plain.example', 'v=spf1 ip4:192.0.2.1 -all')
  .record('relay.example', `v=spf1 ip4:${RELAY_IP} -all`)
  // DMARC with strict DKIM alignment: only a signature of strict.example itself counts.
  .record('strict.example', 'v=spf1 ip4:192.0.2.1 -all')
  .record('_dmarc.strict.example', 'v=DMARC1; p=reject; adkim=s; aspf=s')
  .serverFailure('flaky.example')
  .noAnswer('silent.example');
const goodKey = dns.dkimKey('good.example');
const attackerKey = dns.dkimKey('attacker.example');
const strictSubKey = dns.dkimKey('mail.strict.example');
const sealerKey = dns.dkimKey('arc.relay.example', 'arc');
const attackerSealKey = dns.dkimKey('attacker.example', 'arc');

const authEnv = {
  SMTP_PORT: '0',
  IMPORT_DOMAIN: DOMAIN,
  INTAKE_MAIL_AUTH: 'enforce',
  INTAKE_ALLOWED_SENDERS: [
    '@good.example',
    '@spf.example',
    '@soft.example',
    '@lax.example',
    '@plain.example',
    '@flaky.example',
    '@silent.example',
    '@strict.example',
    '@norecords.example',
    'imports@relay.example',
  ].join(','),
  INTAKE_MAIL_TRUSTED_RELAYS: `mx.relay.example=${RELAY_IP}`,
  INTAKE_MAIL_TRUSTED_ARC_SEALERS: 'arc.relay.example',
};

const NOTHING = { files: 0, conversations: 0, imports: 0, jobs: 0 };

/** What the relay at RELAY_IP says about a message it received from good.example's own server. */
const RELAY_RESULTS =
  'spf=pass smtp.mailfrom=ana@good.example; dkim=pass header.d=good.example; dmarc=pass header.from=good.example';

describe('refused mail leaves nothing behind', () => {
  let h: Harness;

  beforeAll(async () => {
    // Refusals are logged at info level: the log test below reads them.
    h = await startHarness('sec_email_refused', { ...authEnv, INTAKE_ROLES: 'smtp', LOG_LEVEL: 'info' });
    dns.serve(h);
  });
  afterAll(() => h.close());

  async function expectRefused(
    envelope: { from: string; to: string },
    raw: string,
    code: number,
    response: RegExp,
    opts: { localAddress?: string } = {},
  ): Promise<void> {
    const res = await send(h, envelope, raw, opts);
    expect(res).toMatchObject({ ok: false, code });
    expect(res.response).toMatch(response);
    expect(await stored(h)).toEqual(NOTHING);
  }

  test('forged From of a DMARC p=reject domain (attacker’s server, SPF fail, no DKIM) → 550 5.7.26', async () => {
    const from = 'ana@good.example';
    await expectRefused(
      { from, to: TO },
      csvMail({ from, to: TO }),
      550,
      /^550 5\.7\.26 DMARC check failed for good\.example/,
    );
  });

  test('a refusal is logged with its reason and the address masked, never the message', async () => {
    const from = 'ana@good.example';
    const out: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      expect(await send(h, { from, to: TO }, csvMail({ from, to: TO }))).toMatchObject({ code: 550 });
    } finally {
      spy.mockRestore();
    }
    const log = out.join('');
    expect(log).toMatch(/refused message from <email>: DMARC check failed for good\.example/);
    expect(log).not.toContain(from);
    expect(log).not.toContain('ana.lopez@example.net');
    expect(log).not.toContain('First Name');
  });

  test('two From headers, the first with a valid signature of the attacker’s domain → 550 5.7.1', async () => {
    const raw = await dkimSigned(
      csvMail({ from: ['mallory@attacker.example', 'ana@spf.example'], to: TO }),
      'attacker.example',
      attackerKey,
    );
    await expectRefused(
      { from: 'ana@spf.example', to: TO },
      raw,
      550,
      /^550 5\.7\.1 .*more than one From header/,
    );
  });

  test('one From header with two mailboxes → 550 5.7.1', async () => {
    const raw = csvMail({ from: 'ana@spf.example, mallory@attacker.example', to: TO });
    await expectRefused({ from: 'ana@spf.example', to: TO }, raw, 550, /^550 5\.7\.1 .*exactly one mailbox/);
  });

  test('a valid DKIM signature of the attacker’s domain does not authenticate another From domain → 550', async () => {
    const from = 'boss@plain.example';
    const raw = await dkimSigned(csvMail({ from, to: TO }), 'attacker.example', attackerKey);
    await expectRefused(
      { from, to: TO },
      raw,
      550,
      /^550 5\.7\.26 plain\.example is not authenticated: SPF fail, DKIM pass for another domain only/,
    );
  });

  test('a subdomain’s signature does not pass a DMARC record asking for strict alignment → 550', async () => {
    const from = 'ana@strict.example';
    const raw = await dkimSigned(csvMail({ from, to: TO }), 'mail.strict.example', strictSubKey);
    await expectRefused(
      { from, to: TO },
      raw,
      550,
      /^550 5\.7\.26 DMARC check failed for strict\.example: SPF fail, DKIM pass for another domain only/,
    );
  });

  test('SPF softfail for a domain without DMARC → 550 5.7.23', async () => {
    const from = 'ana@soft.example';
    await expectRefused({ from, to: TO }, csvMail({ from, to: TO }), 550, /^550 5\.7\.23 .*SPF softfail/);
  });

  test('a domain with no SPF, DKIM or DMARC at all is not authenticated → 550 5.7.23', async () => {
    const from = 'ana@norecords.example';
    await expectRefused({ from, to: TO }, csvMail({ from, to: TO }), 550, /^550 5\.7\.23 .*SPF none/);
  });

  test('failing DMARC with policy p=none is refused too → 550 5.7.26', async () => {
    const from = 'ana@lax.example';
    await expectRefused(
      { from, to: TO },
      csvMail({ from, to: TO }),
      550,
      /^550 5\.7\.26 DMARC check failed for lax\.example/,
    );
  });

  test('DNS failure (temperror) → 451 4.7.0, try later', async () => {
    const from = 'ana@flaky.example';
    await expectRefused({ from, to: TO }, csvMail({ from, to: TO }), 451, /^451 4\.7\.0 .*try later/);
  });

  test('DNS that never answers → 451 4.7.0 once the time limit passes, nothing stored', async () => {
    const check = h.app.context.get(MailAuthCheck);
    check.timeLimitMs = 500;
    try {
      const from = 'ana@silent.example';
      await expectRefused({ from, to: TO }, csvMail({ from, to: TO }), 451, /^451 4\.7\.0 .*try later/);
    } finally {
      check.timeLimitMs = 30_000;
    }
  });

  test('Authentication-Results from a relay nobody named are ignored → 550', async () => {
    const raw = csvMail({
      from: 'ana@good.example',
      to: TO,
      headers: [`Authentication-Results: mx.other.example; ${RELAY_RESULTS}`],
    });
    await expectRefused(
      { from: 'imports@relay.example', to: TO },
      raw,
      550,
      /^550 5\.7\.26 DMARC check failed/,
      {
        localAddress: RELAY_IP,
      },
    );
  });

  test('the named relay’s authserv-id in a header sent from elsewhere is ignored → 550', async () => {
    const raw = csvMail({
      from: 'ana@good.example',
      to: TO,
      headers: [`Authentication-Results: mx.relay.example; ${RELAY_RESULTS}`],
    });
    await expectRefused({ from: 'ana@good.example', to: TO }, raw, 550, /^550 5\.7\.26 DMARC check failed/);
  });

  test('through the named relay, a pass smuggled below the relay’s own verdict is ignored → 550', async () => {
    const raw = csvMail({
      from: 'ana@good.example',
      to: TO,
      headers: [
        // Added by the relay on top: what it really found.
        'Authentication-Results: mx.relay.example; spf=fail smtp.mailfrom=ana@good.example; dmarc=fail header.from=good.example',
        // Written by the attacker, who sent the message through the relay.
        `Authentication-Results: mx.relay.example; ${RELAY_RESULTS}`,
      ],
    });
    await expectRefused(
      { from: 'imports@relay.example', to: TO },
      raw,
      550,
      /^550 5\.7\.26 DMARC check failed/,
      {
        localAddress: RELAY_IP,
      },
    );
  });

  test('the named relay’s DMARC pass for another domain does not authenticate this From → 550', async () => {
    const raw = csvMail({
      from: 'ana@good.example',
      to: TO,
      headers: [
        'Authentication-Results: mx.relay.example; spf=pass smtp.mailfrom=x@relay.example; dmarc=pass header.from=relay.example',
      ],
    });
    await expectRefused(
      { from: 'imports@relay.example', to: TO },
      raw,
      550,
      /^550 5\.7\.23 good\.example is not authenticated: SPF pass for another domain/,
      {
        localAddress: RELAY_IP,
      },
    );
  });

  test('a valid ARC chain sealed by a domain nobody named is ignored → 550', async () => {
    const raw = await arcSealed(
      csvMail({ from: 'ana@good.example', to: TO }),
      'attacker.example',
      attackerSealKey,
      `attacker.example; ${RELAY_RESULTS}`,
    );
    await expectRefused({ from: 'ana@good.example', to: TO }, raw, 550, /^550 5\.7\.26 DMARC check failed/);
  });
});

describe('authenticated mail is accepted and acted on', () => {
  let h: Harness;
  let sink: Sink;

  beforeAll(async () => {
    sink = await startSink();
    h = await startHarness('sec_email_accepted', {
      ...authEnv,
      INTAKE_ROLES: 'api,smtp,worker',
      OUTBOUND_SMTP_URL: sink.url,
    });
    dns.serve(h);
  });
  afterAll(async () => {
    await h.close();
    await sink.close();
  });

  test('aligned DKIM pass (DMARC pass although SPF fails from this server) → 250, answered', async () => {
    const from = 'dkim@good.example';
    const raw = await dkimSigned(csvMail({ from, to: TO, subject: 'signed' }), 'good.example', goodKey);
    expect(await send(h, { from, to: TO }, raw)).toEqual({ ok: true });
    const [proposal] = await repliesTo(sink, from);
    expect(proposal!.subject).toBe('Re: signed');
  });

  test('aligned SPF pass for a domain without DMARC → 250, answered', async () => {
    const from = 'spf@spf.example';
    expect(await send(h, { from, to: TO }, csvMail({ from, to: TO, subject: 'by spf' }))).toEqual({
      ok: true,
    });
    const [proposal] = await repliesTo(sink, from);
    expect(proposal!.subject).toBe('Re: by spf');
  });

  test('mail forwarded by the named relay, with its Authentication-Results, from its address → 250', async () => {
    const from = 'fwd@good.example';
    const raw = csvMail({
      from,
      to: TO,
      subject: 'forwarded',
      headers: [`Authentication-Results: mx.relay.example; ${RELAY_RESULTS.replace(/ana@/g, 'fwd@')}`],
    });
    const res = await send(h, { from: 'imports@relay.example', to: TO }, raw, { localAddress: RELAY_IP });
    expect(res).toEqual({ ok: true });
    const [proposal] = await repliesTo(sink, from);
    expect(proposal!.subject).toBe('Re: forwarded');
  });

  test('mail changed in forwarding (its DKIM broken) but ARC-sealed by the named sealer → 250', async () => {
    const from = 'arc@good.example';
    const original = await dkimSigned(csvMail({ from, to: TO, subject: 'sealed' }), 'good.example', goodKey);
    const changed = original.replace(
      'Here are the contacts.',
      'Here are the contacts.\r\n-- forwarded by relay',
    );
    // Without the seal the changed message no longer authenticates.
    expect(await send(h, { from, to: TO }, changed)).toMatchObject({ ok: false, code: 550 });
    const raw = await arcSealed(
      changed,
      'arc.relay.example',
      sealerKey,
      `arc.relay.example; ${RELAY_RESULTS}`,
    );
    expect(await send(h, { from, to: TO }, raw)).toEqual({ ok: true });
    const [proposal] = await repliesTo(sink, from);
    expect(proposal!.subject).toBe('Re: sealed');
  });

  test('a reply token works only on an authenticated reply from its own sender', async () => {
    const from = 'token@spf.example';
    expect(await send(h, { from, to: TO }, csvMail({ from, to: TO, subject: 'to confirm' }))).toEqual({
      ok: true,
    });
    const [proposal] = await repliesTo(sink, from);
    const replyAddress = proposal!.replyTo!.value[0]!.address!;
    const token = /^import\+([^@]+)@/.exec(replyAddress)![1]!;
    const conversations = h.app.context.get(ConversationsRepository);
    const conv = (await conversations.find(readToken(token)!.conversationId))!;
    const before = await stored(h);

    // The sender's address, but from a server its SPF does not allow, and unsigned.
    const forged = replyMail({ from, to: replyAddress, body: 'yes' });
    const res = await send(h, { from, to: replyAddress }, forged, { localAddress: RELAY_IP });
    expect(res).toMatchObject({ ok: false, code: 550 });
    expect(res.response).toMatch(/^550 5\.7\.23 spf\.example is not authenticated: SPF fail/);
    // Authenticated, but someone else.
    const other = 'boss@good.example';
    const signed = await dkimSigned(
      replyMail({ from: other, to: replyAddress, body: 'yes' }),
      'good.example',
      goodKey,
    );
    const res2 = await send(h, { from: other, to: replyAddress }, signed);
    expect(res2).toMatchObject({ ok: false, code: 550 });
    expect(res2.response).toMatch(/Only the person who sent the file/);

    expect(await stored(h)).toMatchObject({ files: before.files, conversations: before.conversations });
    expect((await conversations.find(conv._id))!.usedAt).toBeNull();
    for (const id of conv.importIds)
      expect((await h.imports.get(h.workspaceId, id)).status).toBe('awaiting_mapping');
  });

  test('email auto-start starts the import for an authenticated sender', async () => {
    const ws = h.app.context.get(WorkspacesService);
    await ws.create('sec-auto');
    await ws.allowSender('sec-auto', '@auto.example');
    await ws.setEmailAutoStart('sec-auto', true);
    const from = 'boss@auto.example';
    expect(await send(h, { from, to: TO }, csvMail({ from, to: TO }))).toEqual({ ok: true });
    const [first, summary] = await repliesTo(sink, from, 2);
    expect(first!.text).toContain(START_MESSAGE);
    expect(first!.replyTo).toBeUndefined();
    expect(summary!.text).toContain('Imported:   1');
    const [view] = await h.imports.list('sec-auto');
    expect(view).toMatchObject({ status: 'completed', channel: 'email' });
  });
});

describe('with mail authentication off (loopback)', () => {
  let h: Harness;
  let sink: Sink;

  beforeAll(async () => {
    sink = await startSink();
    h = await startHarness('sec_email_auth_off', {
      INTAKE_ROLES: 'api,smtp,worker',
      SMTP_PORT: '0',
      IMPORT_DOMAIN: DOMAIN,
      OUTBOUND_SMTP_URL: sink.url,
    });
    const ws = h.app.context.get(WorkspacesService);
    await ws.create('off-auto');
    await ws.allowSender('off-auto', 'boss@example.com');
    await ws.setEmailAutoStart('off-auto', true);
  });
  afterAll(async () => {
    await h.close();
    await sink.close();
  });

  test('email auto-start never starts an import: the sender gets a proposal to confirm', async () => {
    const from = 'boss@example.com';
    expect(await send(h, { from, to: TO }, csvMail({ from, to: TO }))).toEqual({ ok: true });
    const [first] = await repliesTo(sink, from);
    expect(first!.text).not.toContain(START_MESSAGE);
    expect(first!.replyTo?.value[0]?.address).toMatch(/^import\+/);
    const [view] = await h.imports.list('off-auto');
    expect(view).toMatchObject({ status: 'awaiting_mapping', channel: 'email' });
  });

  test('two From headers are refused even with authentication off, and nothing is stored', async () => {
    const before = await stored(h);
    const raw = csvMail({ from: ['mallory@attacker.example', 'boss@example.com'], to: TO });
    const res = await send(h, { from: 'boss@example.com', to: TO }, raw);
    expect(res).toMatchObject({ ok: false, code: 550 });
    expect(res.response).toMatch(/more than one From header/);
    expect(await stored(h)).toMatchObject({
      files: before.files,
      conversations: before.conversations,
      imports: before.imports,
    });
  });
});
