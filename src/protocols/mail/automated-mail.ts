import { localPartOf } from './mail-address';

/** Header names lower-cased, values unfolded; the first occurrence of each. */
export type HeaderMap = ReadonlyMap<string, string>;

const ROBOTS = new Set(['mailer-daemon', 'postmaster']);

/**
 * Why a message must never be answered (RFC 3834 and common practice), or null when a person sent it:
 * a null sender, MAILER-DAEMON or postmaster, Auto-Submitted other than "no", Precedence bulk/junk/list,
 * a List-Id, or a delivery report (multipart/report).
 */
export function automatedReason(envelopeFrom: string, fromHeader: string, headers: HeaderMap): string | null {
  if (!envelopeFrom.trim() || envelopeFrom.trim() === '<>') return 'null sender';
  for (const a of [envelopeFrom, fromHeader]) if (a && ROBOTS.has(localPartOf(a))) return 'mailer daemon';
  const auto = headers.get('auto-submitted')?.trim().toLowerCase();
  if (auto && !/^no\b/.test(auto)) return `Auto-Submitted: ${auto.split(/[;\s]/)[0]}`;
  const precedence = headers.get('precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list'].includes(precedence)) return `Precedence: ${precedence}`;
  if (headers.has('list-id')) return 'mailing list';
  if (/^\s*multipart\/report\b/i.test(headers.get('content-type') ?? '')) return 'delivery report';
  return null;
}

/** Parses a raw header block (up to the first empty line): unfolds, lower-cases names, keeps the first. */
export function parseHeaderBlock(raw: string): Map<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const block = (end >= 0 ? raw.slice(0, end) : raw).replace(/\r?\n[ \t]+/g, ' ');
  const map = new Map<string, string>();
  for (const line of block.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    if (!map.has(name)) map.set(name, line.slice(i + 1).trim());
  }
  return map;
}
