import { isIP } from 'node:net';

/** A relay whose Authentication-Results are believed: its authserv-id and the network it connects from. */
export interface TrustedRelay {
  readonly authservId: string;
  readonly address: string;
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
}

const LOOPBACK_NAMES = new Set(['localhost', '::1', '[::1]']);

/** True when a listen address only takes connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  return LOOPBACK_NAMES.has(h) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Mail authentication is on by default wherever the SMTP server can be reached from other machines. */
export function defaultMailAuth(smtpHost: string): 'off' | 'enforce' {
  return isLoopbackHost(smtpHost) ? 'off' : 'enforce';
}

/** The start-up warning for a server that takes mail from other machines without authenticating it. */
export function unauthenticatedMailWarning(mail: {
  mailAuth: 'off' | 'enforce';
  smtpHost: string;
}): string | null {
  if (mail.mailAuth === 'enforce' || isLoopbackHost(mail.smtpHost)) return null;
  return (
    `INTAKE_MAIL_AUTH=off while SMTP listens on ${mail.smtpHost}: From addresses are not authenticated, ` +
    'so anyone can send as an allowed sender (email auto-start is disabled)'
  );
}

/**
 * `authserv-id=address[/prefix]`, comma-separated, e.g. `mx.example.net=192.0.2.0/24,mx.example.net=2001:db8::/32`.
 * Both halves are required, so a header naming a trusted authserv-id counts only from the relay's own network.
 */
export function parseTrustedRelays(text: string | undefined): TrustedRelay[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseRelay);
}

function parseRelay(entry: string): TrustedRelay {
  const eq = entry.indexOf('=');
  const authservId = entry.slice(0, eq).trim().toLowerCase();
  const [address = '', prefixText] = entry
    .slice(eq + 1)
    .trim()
    .split('/');
  const family = isIP(address) === 4 ? 'ipv4' : isIP(address) === 6 ? 'ipv6' : null;
  const max = family === 'ipv4' ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (
    eq <= 0 ||
    !/^[a-z0-9.-]+$/.test(authservId) ||
    !family ||
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > max
  ) {
    throw new Error(`"${entry}" is not authserv-id=address[/prefix]`);
  }
  return { authservId, address, prefix, family };
}

/** ARC sealers whose chain results are believed: plain domain names, comma-separated. */
export function parseSealers(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .map((d) => {
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d)) throw new Error(`"${d}" is not a domain name`);
      return d;
    });
}
