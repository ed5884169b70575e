import { isIPv4, isIPv6 } from 'node:net';

/** How much of the SMTP server one client may hold, and for how long. */
export interface SessionBounds {
  /** Connections one client may hold at once (see clientKey). */
  maxPerClient: number;
  /** A connection that neither starts a message (MAIL FROM accepted) nor sends one for this long is closed. */
  idleMs: number;
  /** No connection lasts longer than this, whatever it does. */
  sessionMs: number;
}

/** Where a connection is: commands, a message arriving, or its message in and its answer being decided. */
type Phase = 'talking' | 'receiving' | 'deciding';

interface Held {
  client: string;
  phase: Phase;
  idle: NodeJS.Timeout;
  whole: NodeJS.Timeout;
  /** The line of a bound that ran out while the message was decided: the client hears its answer first. */
  due: string | null;
}

/**
 * Keeps any one client from holding the SMTP server: at most `maxPerClient` connections per client, and
 * every connection ends once it idles (NOOP, RSET and HELO do not count as progress) or has lasted
 * `sessionMs`. A bound that runs out calls `drop` with the 421 line to send; smtp-server's own socket
 * timeout still closes a connection that sends nothing at all.
 */
export class SmtpSessionLimits {
  private readonly held = new Map<string, Held>();
  private readonly perClient = new Map<string, number>();

  constructor(
    private readonly bounds: SessionBounds,
    private readonly drop: (sessionId: string, line: string) => void,
  ) {}

  /** Null when the connection may go on; else the line (after 421) that refuses it. */
  admit(sessionId: string, remoteAddress: string): string | null {
    const client = clientKey(remoteAddress);
    const open = this.perClient.get(client) ?? 0;
    if (open >= this.bounds.maxPerClient) {
      return (
        `4.7.0 Too many connections from your address: at most ${this.bounds.maxPerClient} at once. ` +
        'Finish or close one, then try again'
      );
    }
    this.perClient.set(client, open + 1);
    this.held.set(sessionId, {
      client,
      phase: 'talking',
      idle: this.timer(sessionId, 'idle'),
      whole: this.timer(sessionId, 'session'),
      due: null,
    });
    return null;
  }

  /** A message was started (MAIL FROM accepted): the idle clock starts again. */
  progressed(sessionId: string): void {
    const h = this.held.get(sessionId);
    if (!h) return;
    clearTimeout(h.idle);
    h.idle = this.timer(sessionId, 'idle');
  }

  /** DATA began: while the message arrives only the session bound (and the socket timeout) apply. */
  receiving(sessionId: string): void {
    this.setPhase(sessionId, 'receiving');
  }

  /** The whole message is in: no bound interrupts the server deciding its answer. */
  deciding(sessionId: string): void {
    this.setPhase(sessionId, 'deciding');
  }

  /** The message was answered: a bound that ran out meanwhile applies now. */
  decided(sessionId: string): void {
    const h = this.held.get(sessionId);
    if (!h) return;
    h.phase = 'talking';
    this.progressed(sessionId);
    if (h.due) this.drop(sessionId, h.due);
  }

  /** The connection closed: its place is free. */
  release(sessionId: string): void {
    const h = this.held.get(sessionId);
    if (!h) return;
    clearTimeout(h.idle);
    clearTimeout(h.whole);
    this.held.delete(sessionId);
    const open = (this.perClient.get(h.client) ?? 1) - 1;
    if (open > 0) this.perClient.set(h.client, open);
    else this.perClient.delete(h.client);
  }

  /** Connections held now (all clients). */
  size(): number {
    return this.held.size;
  }

  private setPhase(sessionId: string, phase: Phase): void {
    const h = this.held.get(sessionId);
    if (h) h.phase = phase;
  }

  private timer(sessionId: string, bound: Bound): NodeJS.Timeout {
    const ms = bound === 'idle' ? this.bounds.idleMs : this.bounds.sessionMs;
    const t = setTimeout(() => this.expire(sessionId, bound), ms);
    t.unref();
    return t;
  }

  private expire(sessionId: string, bound: Bound): void {
    const h = this.held.get(sessionId);
    if (!h) return;
    // A message arriving is progress, and one being decided is the server's turn: decided() restarts
    // the idle clock.
    if (bound === 'idle' && h.phase !== 'talking') return;
    if (h.phase === 'deciding') {
      h.due = this.line(bound);
      return;
    }
    this.drop(sessionId, this.line(bound));
  }

  private line(bound: Bound): string {
    if (bound === 'idle') {
      return `4.4.2 No message started for ${seconds(this.bounds.idleMs)}: closing the connection`;
    }
    return (
      `4.4.2 Connection open for ${seconds(this.bounds.sessionMs)}, the longest allowed: ` +
      'closing it, reconnect to send more'
    );
  }
}

type Bound = 'idle' | 'session';

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/**
 * The client a connection counts against: its IPv4 address, or its IPv6 /64 (one site's hosts usually
 * share a /64, and one host may use any address in it).
 */
export function clientKey(address: string): string {
  const plain = address.replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  if (mapped?.[1]) return mapped[1];
  if (isIPv4(plain) || !isIPv6(plain)) return plain;
  return `${expandIPv6(plain).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, without leading zeros (an embedded IPv4 tail counts as two). */
function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const zeros: string[] = Array<string>(Math.max(0, 8 - front.length - back.length)).fill('0');
  return [...front, ...zeros, ...back].map((g) => g.replace(/^0+(?=.)/, ''));
}

function groups(text: string): string[] {
  if (!text) return [];
  return text.split(':').flatMap((g) => (g.includes('.') ? ['v4', 'v4'] : [g]));
}
