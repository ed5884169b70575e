import { clientKey, SmtpSessionLimits } from './smtp-session-limits';

describe('clientKey', () => {
  it('is the IPv4 address itself, also when written IPv4-mapped', () => {
    expect(clientKey('192.0.2.7')).toBe('192.0.2.7');
    expect(clientKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
  });

  it('is the /64 of an IPv6 address, however it is written', () => {
    expect(clientKey('2001:db8:0:1::5')).toBe('2001:db8:0:1::/64');
    expect(clientKey('2001:0DB8:0000:0001:ffff:1:2:3')).toBe('2001:db8:0:1::/64');
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe('SmtpSessionLimits', () => {
  const bounds = { maxPerClient: 2, idleMs: 60_000, sessionMs: 600_000 };

  it('refuses a client past its connections with a 4.7.0 line, and not another client', () => {
    const limits = new SmtpSessionLimits(bounds, () => undefined);
    expect(limits.admit('a', '192.0.2.1')).toBeNull();
    expect(limits.admit('b', '192.0.2.1')).toBeNull();
    expect(limits.admit('c', '192.0.2.1')).toMatch(
      /^4\.7\.0 Too many connections from your address: at most 2/,
    );
    expect(limits.admit('d', '192.0.2.2')).toBeNull();
    limits.release('a');
    expect(limits.admit('e', '192.0.2.1')).toBeNull();
    for (const id of ['b', 'd', 'e']) limits.release(id);
    expect(limits.size()).toBe(0);
  });

  it('forgets a refused connection without freeing anyone else’s place', () => {
    const limits = new SmtpSessionLimits({ ...bounds, maxPerClient: 1 }, () => undefined);
    expect(limits.admit('a', '192.0.2.1')).toBeNull();
    expect(limits.admit('b', '192.0.2.1')).not.toBeNull();
    limits.release('b');
    expect(limits.admit('c', '192.0.2.1')).not.toBeNull();
    limits.release('a');
  });
});

describe('SmtpSessionLimits bounds in time', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const bounds = { maxPerClient: 5, idleMs: 1000, sessionMs: 5000 };

  function watched() {
    const drops: { id: string; line: string }[] = [];
    const limits = new SmtpSessionLimits(bounds, (id, line) => drops.push({ id, line }));
    return { limits, drops };
  }

  it('drops a connection that starts no message within the idle bound', () => {
    const { limits, drops } = watched();
    limits.admit('a', '192.0.2.1');
    jest.advanceTimersByTime(999);
    expect(drops).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(drops).toEqual([{ id: 'a', line: '4.4.2 No message started for 1 s: closing the connection' }]);
  });

  it('counts a started message as progress, but not past the session bound', () => {
    const { limits, drops } = watched();
    limits.admit('a', '192.0.2.1');
    for (let t = 0; t < 5; t++) {
      jest.advanceTimersByTime(900);
      limits.progressed('a');
    }
    expect(drops).toEqual([]);
    jest.advanceTimersByTime(500);
    expect(drops.map((d) => d.line)).toEqual([
      '4.4.2 Connection open for 5 s, the longest allowed: closing it, reconnect to send more',
    ]);
  });

  it('lets a message arrive past the idle bound', () => {
    const { limits, drops } = watched();
    limits.admit('a', '192.0.2.1');
    limits.receiving('a');
    jest.advanceTimersByTime(3000);
    expect(drops).toEqual([]);
  });

  it('answers a message being decided before the session bound closes its connection', () => {
    const { limits, drops } = watched();
    limits.admit('a', '192.0.2.1');
    limits.receiving('a');
    limits.deciding('a');
    jest.advanceTimersByTime(6000);
    expect(drops).toEqual([]);
    limits.decided('a');
    expect(drops.map((d) => d.line)).toEqual([expect.stringMatching(/^4\.4\.2 Connection open for 5 s/)]);
  });

  it('stops watching a closed connection', () => {
    const { limits, drops } = watched();
    limits.admit('a', '192.0.2.1');
    limits.release('a');
    jest.advanceTimersByTime(10_000);
    expect(drops).toEqual([]);
  });
});
