import type { ARCResult, AuthenticateResult } from 'mailauth';
import { parseTrustedRelays } from '../../config/mail-trust';
import { arcEvidence, fromAuthResults, ownEvidence, relayIdsAt, trustedRelayEvidence } from './auth-evidence';
import { parseAuthResults } from './auth-results';

const relays = parseTrustedRelays('mx.relay.example=192.0.2.0/24,mx6.relay.example=2001:db8::/32');
const PASS =
  'spf=pass smtp.mailfrom=ana@good.example; dkim=pass header.d=good.example; dmarc=pass header.from=good.example';
const head = (...headers: string[]) => [...headers, 'From: ana@good.example', '', 'body'].join('\r\n');

describe('a trusted relay', () => {
  it('is recognized by the network the connection comes from, IPv4-mapped addresses included', () => {
    expect([...relayIdsAt('192.0.2.44', relays)]).toEqual(['mx.relay.example']);
    expect([...relayIdsAt('::ffff:192.0.2.44', relays)]).toEqual(['mx.relay.example']);
    expect([...relayIdsAt('2001:db8::25', relays)]).toEqual(['mx6.relay.example']);
    expect(relayIdsAt('198.51.100.1', relays).size).toBe(0);
  });

  it('has its topmost Authentication-Results read when the message comes from its network', () => {
    const ev = trustedRelayEvidence(
      head(`Authentication-Results: mx.relay.example; ${PASS}`),
      '192.0.2.9',
      relays,
      'good.example',
    );
    expect(ev).toEqual({
      source: 'relay mx.relay.example',
      fromDomain: 'good.example',
      dmarc: 'pass',
      spf: { result: 'pass', aligned: true },
      dkim: [{ result: 'pass', aligned: true }],
    });
  });

  it('is not believed from another network, even with its authserv-id', () => {
    const h = head(`Authentication-Results: mx.relay.example; ${PASS}`);
    expect(trustedRelayEvidence(h, '198.51.100.1', relays, 'good.example')).toBeNull();
  });

  it('is not confused with an unnamed authserv-id from its network', () => {
    const h = head(`Authentication-Results: mx.other.example; ${PASS}`);
    expect(trustedRelayEvidence(h, '192.0.2.9', relays, 'good.example')).toBeNull();
  });

  it('speaks in its own (topmost) header: a lower one with its authserv-id was added by someone else', () => {
    const h = head(
      'Authentication-Results: mx.relay.example; spf=fail smtp.mailfrom=ana@good.example; dmarc=fail header.from=good.example',
      `Authentication-Results: mx.relay.example; ${PASS}`,
    );
    expect(trustedRelayEvidence(h, '192.0.2.9', relays, 'good.example')).toMatchObject({ dmarc: 'fail' });
  });
});

describe('results read from an Authentication-Results header', () => {
  const read = (value: string, fromDomain = 'good.example') =>
    fromAuthResults(parseAuthResults(`mx.relay.example; ${value}`)!, fromDomain, 'relay');

  it('ignore a DMARC result about another domain', () => {
    expect(read('dmarc=pass header.from=attacker.example').dmarc).toBe('none');
  });

  it('accept a DMARC result naming the organizational domain of a subdomain sender', () => {
    expect(read('dmarc=pass header.from=good.example', 'mail.good.example').dmarc).toBe('pass');
    expect(read('dmarc=pass header.from=mail.good.example', 'good.example').dmarc).toBe('none');
  });

  it('align SPF and DKIM by organizational domain', () => {
    const ev = read(
      'spf=pass smtp.mailfrom=bounce@mail.good.example; dkim=pass header.d=attacker.example; dkim=pass header.i=@good.example',
    );
    expect(ev.spf).toEqual({ result: 'pass', aligned: true });
    expect(ev.dkim).toEqual([
      { result: 'pass', aligned: false },
      { result: 'pass', aligned: true },
    ]);
  });

  it('treat public suffixes as different organizations', () => {
    expect(read('dkim=pass header.d=other.co.uk', 'good.co.uk').dkim).toEqual([
      { result: 'pass', aligned: false },
    ]);
  });
});

describe('an ARC chain', () => {
  const sealed = (sealer: string, signer = sealer): ARCResult => ({
    i: 2,
    status: { result: 'pass' },
    signature: { signingDomain: signer, status: { result: 'pass' }, info: '' },
  });
  const arcHead = (sealer: string) =>
    head(
      `ARC-Seal: i=2; a=rsa-sha256; d=${sealer}; s=arc; cv=pass; b=x`,
      `ARC-Authentication-Results: i=2; ${sealer}; ${PASS}`,
      'ARC-Seal: i=1; a=rsa-sha256; d=first.example; s=arc; cv=none; b=x',
      'ARC-Authentication-Results: i=1; first.example; dmarc=fail header.from=good.example',
    );

  it('gives the latest set’s results when that set is by a trusted sealer', () => {
    const ev = arcEvidence(
      sealed('arc.relay.example'),
      arcHead('arc.relay.example'),
      ['arc.relay.example'],
      'good.example',
    );
    expect(ev).toMatchObject({ source: 'ARC sealer arc.relay.example', dmarc: 'pass' });
  });

  it('gives nothing when the latest sealer is not trusted, or signed by another domain', () => {
    expect(
      arcEvidence(
        sealed('attacker.example'),
        arcHead('attacker.example'),
        ['arc.relay.example'],
        'good.example',
      ),
    ).toBeNull();
    expect(
      arcEvidence(
        sealed('arc.relay.example', 'attacker.example'),
        arcHead('arc.relay.example'),
        ['arc.relay.example'],
        'good.example',
      ),
    ).toBeNull();
  });

  it('gives nothing when the chain did not validate', () => {
    const failed: ARCResult = { ...sealed('arc.relay.example'), status: { result: 'fail' } };
    expect(
      arcEvidence(failed, arcHead('arc.relay.example'), ['arc.relay.example'], 'good.example'),
    ).toBeNull();
    expect(
      arcEvidence(false, arcHead('arc.relay.example'), ['arc.relay.example'], 'good.example'),
    ).toBeNull();
  });
});

describe('Intake’s own results', () => {
  /** The parts of mailauth's result that are read. */
  const result = (o: {
    spf?: [string, string];
    dkim?: [string, string][];
    dmarc?: string;
    strict?: { spf?: boolean; dkim?: boolean };
  }) =>
    ({
      dkim: {
        headerFrom: ['ana@good.example'],
        envelopeFrom: false,
        results: (o.dkim ?? []).map(([signingDomain, r]) => ({
          signingDomain,
          status: { result: r },
          info: '',
        })),
      },
      spf: o.spf ? { domain: o.spf[0], status: { result: o.spf[1] } } : false,
      dmarc: o.dmarc
        ? {
            status: { result: o.dmarc },
            alignment: {
              spf: { result: false, strict: Boolean(o.strict?.spf) },
              dkim: { result: false, strict: Boolean(o.strict?.dkim) },
            },
          }
        : false,
      arc: false,
      bimi: false,
      headers: '',
    }) as unknown as AuthenticateResult;

  it('align SPF and DKIM with the From domain’s organization', () => {
    const ev = ownEvidence(
      result({ spf: ['bounce.good.example', 'pass'], dkim: [['attacker.example', 'pass']], dmarc: 'pass' }),
      'good.example',
    );
    expect(ev).toEqual({
      source: 'intake',
      fromDomain: 'good.example',
      dmarc: 'pass',
      spf: { result: 'pass', aligned: true },
      dkim: [{ result: 'pass', aligned: false }],
    });
  });

  it('hold a strict DMARC record to the From domain itself', () => {
    const sub = result({ spf: ['bounce.good.example', 'pass'], dmarc: 'pass', strict: { spf: true } });
    expect(ownEvidence(sub, 'good.example').dmarc).toBe('fail');
    const same = result({ spf: ['good.example', 'pass'], dmarc: 'pass', strict: { spf: true } });
    expect(ownEvidence(same, 'good.example').dmarc).toBe('pass');
    const dkim = result({ dkim: [['mail.good.example', 'pass']], dmarc: 'pass', strict: { dkim: true } });
    expect(ownEvidence(dkim, 'good.example').dmarc).toBe('fail');
  });

  it('keep mailauth’s DMARC fail and no-record results', () => {
    expect(ownEvidence(result({ spf: ['good.example', 'pass'], dmarc: 'fail' }), 'good.example').dmarc).toBe(
      'fail',
    );
    expect(ownEvidence(result({ spf: ['good.example', 'pass'] }), 'good.example').dmarc).toBe('none');
  });
});
