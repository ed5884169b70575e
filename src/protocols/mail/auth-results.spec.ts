import { parseAuthResults } from './auth-results';

describe('Authentication-Results', () => {
  it('reads the authserv-id, each method’s result and its properties, without comments', () => {
    const value =
      'mx.example.net 1; dkim=pass (2048-bit key) header.d=example.com header.i=@example.com;\r\n' +
      ' spf=pass (sender SPF authorized) smtp.mailfrom=ana@example.com; dmarc=pass (p=REJECT) header.from=example.com';
    expect(parseAuthResults(value)).toEqual({
      authservId: 'mx.example.net',
      entries: [
        { method: 'dkim', result: 'pass', props: { 'header.d': 'example.com', 'header.i': '@example.com' } },
        { method: 'spf', result: 'pass', props: { 'smtp.mailfrom': 'ana@example.com' } },
        { method: 'dmarc', result: 'pass', props: { 'header.from': 'example.com' } },
      ],
    });
  });

  it('reads an ARC-Authentication-Results value, skipping its instance tag', () => {
    expect(parseAuthResults('i=2; Relay.Example.net; spf=fail smtp.mailfrom=x.example')).toMatchObject({
      authservId: 'relay.example.net',
      entries: [{ method: 'spf', result: 'fail' }],
    });
  });

  it('is null without an authserv-id', () => {
    expect(parseAuthResults('dkim=pass header.d=example.com')).toBeNull();
    expect(parseAuthResults('')).toBeNull();
  });

  it('skips a result hidden in a comment', () => {
    expect(parseAuthResults('mx.example.net; (dmarc=pass) spf=none')?.entries).toEqual([
      { method: 'spf', result: 'none', props: {} },
    ]);
  });
});
