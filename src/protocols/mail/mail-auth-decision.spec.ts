import { asCheckResult, decide, decideAll, type AuthEvidence } from './mail-auth-decision';

const evidence = (over: Partial<AuthEvidence> = {}): AuthEvidence => ({
  source: 'intake',
  fromDomain: 'example.com',
  dmarc: 'none',
  spf: { result: 'none', aligned: false },
  dkim: [],
  ...over,
});

describe('a domain that publishes DMARC', () => {
  it('is accepted on a DMARC pass', () => {
    expect(decide(evidence({ dmarc: 'pass' }))).toEqual({ accept: true, source: 'intake', via: 'dmarc' });
  });

  it('is refused on a DMARC fail, whatever its policy, with the reason', () => {
    const v = decide(evidence({ dmarc: 'fail', spf: { result: 'fail', aligned: true } }));
    expect(v).toEqual({
      accept: false,
      code: 550,
      status: '5.7.26',
      reason: 'DMARC check failed for example.com: SPF fail, DKIM no signature',
    });
  });

  it('is refused on a DMARC fail even with a passing signature of another domain', () => {
    const v = decide(evidence({ dmarc: 'fail', dkim: [{ result: 'pass', aligned: false }] }));
    expect(v).toMatchObject({ accept: false, code: 550, status: '5.7.26' });
    expect(!v.accept && v.reason).toContain('DKIM pass for another domain only');
  });

  it('asks to try later when its record could not be looked up', () => {
    expect(decide(evidence({ dmarc: 'temperror' }))).toMatchObject({ accept: false, code: 451 });
  });

  it('asks to try later when DMARC failed because an underlying lookup failed', () => {
    const v = decide(evidence({ dmarc: 'fail', spf: { result: 'temperror', aligned: true } }));
    expect(v).toMatchObject({ accept: false, code: 451, status: '4.7.0' });
  });

  it('is refused on any other DMARC word', () => {
    expect(decide(evidence({ dmarc: 'permerror' }))).toMatchObject({ accept: false, code: 550 });
  });
});

describe('a domain without DMARC', () => {
  it('is accepted on an aligned SPF pass', () => {
    expect(decide(evidence({ spf: { result: 'pass', aligned: true } }))).toMatchObject({
      accept: true,
      via: 'spf',
    });
  });

  it('is accepted on an aligned passing DKIM signature', () => {
    const v = decide(
      evidence({
        dkim: [
          { result: 'fail', aligned: true },
          { result: 'pass', aligned: true },
        ],
      }),
    );
    expect(v).toMatchObject({ accept: true, via: 'dkim' });
  });

  it('is refused on an SPF pass for another domain', () => {
    const v = decide(evidence({ spf: { result: 'pass', aligned: false } }));
    expect(v).toMatchObject({ accept: false, code: 550, status: '5.7.23' });
    expect(!v.accept && v.reason).toBe(
      'example.com is not authenticated: SPF pass for another domain, DKIM no signature',
    );
  });

  it('does not count a DKIM result of none as a signature', () => {
    const v = decide(
      evidence({ spf: { result: 'softfail', aligned: true }, dkim: [{ result: 'none', aligned: false }] }),
    );
    expect(v).toMatchObject({ accept: false, code: 550, status: '5.7.23' });
    expect(!v.accept && v.reason).toBe('example.com is not authenticated: SPF softfail, DKIM no signature');
  });

  it('is refused on a valid DKIM signature of another domain', () => {
    const v = decide(evidence({ dkim: [{ result: 'pass', aligned: false }] }));
    expect(v).toMatchObject({ accept: false, code: 550, status: '5.7.26' });
  });

  it.each(['softfail', 'neutral', 'none', 'permerror', 'fail'] as const)('is refused on SPF %s', (result) => {
    const v = decide(evidence({ spf: { result, aligned: true } }));
    expect(v).toMatchObject({ accept: false, code: 550, status: '5.7.23' });
    expect(!v.accept && v.reason).toContain(`SPF ${result}`);
  });

  it('asks to try later when SPF or DKIM met a DNS failure and nothing passed', () => {
    expect(decide(evidence({ spf: { result: 'temperror', aligned: true } }))).toMatchObject({ code: 451 });
    expect(decide(evidence({ dkim: [{ result: 'temperror', aligned: true }] }))).toMatchObject({ code: 451 });
  });

  it('is accepted when one check passes aligned although another met a DNS failure', () => {
    const v = decide(
      evidence({ spf: { result: 'temperror', aligned: true }, dkim: [{ result: 'pass', aligned: true }] }),
    );
    expect(v).toMatchObject({ accept: true });
  });
});

describe('several sources of results', () => {
  const refused = evidence({ dmarc: 'fail' });
  const relayPass = evidence({ source: 'relay mx.example.net', dmarc: 'pass' });

  it('accepts when a trusted relay authenticated the message that Intake could not', () => {
    expect(decideAll([refused, relayPass])).toEqual({
      accept: true,
      source: 'relay mx.example.net',
      via: 'dmarc',
    });
  });

  it('reports the relay’s refusal when nobody accepts', () => {
    const relayFail = evidence({ source: 'relay mx.example.net', dmarc: 'fail' });
    expect(decideAll([refused, relayFail])).toMatchObject({ accept: false, code: 550 });
  });

  it('prefers try-later to a permanent refusal', () => {
    expect(decideAll([evidence({ dmarc: 'temperror' }), refused])).toMatchObject({ code: 451 });
  });
});

test('unknown words are never a pass', () => {
  expect(asCheckResult('PASS')).toBe('pass');
  expect(asCheckResult('temperr')).toBe('temperror');
  expect(asCheckResult('bestguesspass')).toBe('none');
  expect(asCheckResult(undefined)).toBe('none');
});
