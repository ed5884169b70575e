import addressparser from 'nodemailer/lib/addressparser';
import { normalizeAddress } from './mail-address';

/** The longest line a message may carry (RFC 5322); a From header longer than that is refused. */
export const MAX_FROM_CHARS = 998;
/** The longest address that can be delivered to (RFC 5321: 64 + 1 + 255). */
export const MAX_ADDRESS_CHARS = 320;

/** The one person a message speaks for, or why it names no single author. */
export type Author = { ok: true; address: string } | { ok: false; reason: string };

/** Values of every header called `name` in a raw header block (up to the first empty line), unfolded. */
export function headerValues(rawHead: string, name: string): string[] {
  const end = rawHead.search(/\r?\n\r?\n/);
  const block = (end >= 0 ? rawHead.slice(0, end) : rawHead).replace(/\r?\n[ \t]+/g, ' ');
  const wanted = name.toLowerCase();
  const out: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && line.slice(0, i).trim().toLowerCase() === wanted) out.push(line.slice(i + 1).trim());
  }
  return out;
}

/**
 * The author is the address Intake acts for, so it must be unambiguous: exactly one From header holding
 * exactly one mailbox (no group, no list). Two of either let a checker and a reader disagree on who sent it.
 */
export function authorOf(rawHead: string): Author {
  const froms = headerValues(rawHead, 'from');
  if (froms.length !== 1) {
    return { ok: false, reason: froms.length ? 'more than one From header' : 'no From header' };
  }
  // Length first: nothing parses or matches an outsized header.
  if (froms[0]!.length > MAX_FROM_CHARS) return { ok: false, reason: 'the From header is too long' };
  const parsed = addressparser(froms[0]!);
  if (parsed.length !== 1 || 'group' in parsed[0]!) {
    return { ok: false, reason: 'the From header must name exactly one mailbox' };
  }
  const address = normalizeAddress(parsed[0]!.address ?? '');
  if (!isPlainAddress(address)) return { ok: false, reason: 'no valid From address' };
  return { ok: true, address };
}

/**
 * `local@domain.tld`: one `@`, no whitespace, a dot inside the domain, at most MAX_ADDRESS_CHARS. Checked
 * by scanning, not by a regex whose backtracking grows with the length of the domain.
 */
export function isPlainAddress(address: string): boolean {
  if (address.length > MAX_ADDRESS_CHARS || /\s/.test(address)) return false;
  const at = address.indexOf('@');
  if (at < 1 || address.indexOf('@', at + 1) >= 0) return false;
  const domain = address.slice(at + 1);
  return domain.slice(1, -1).includes('.');
}
