import type { ARCResult, AuthenticateResult } from 'mailauth';
import { BlockList, isIPv4 } from 'node:net';
import type { TrustedRelay } from '../../config/mail-trust';
import { parseAuthResults, type AuthResultsHeader } from './auth-results';
import { headerValues } from './author-address';
import { domainOf } from './mail-address';
import { asCheckResult, type AuthEvidence } from './mail-auth-decision';
import { relaxedAligned } from './org-domain';

/**
 * Turns authentication results into evidence for the decision: mailauth's own, and the
 * Authentication-Results headers of relays the operator trusts. Pure: no DNS, no I/O.
 */

/**
 * Intake's own results, from mailauth. Alignment is relaxed unless the domain's DMARC record asks for
 * strict (adkim=s, aspf=s), which needs the From domain itself; mailauth 4.13 checks strict as relaxed,
 * so its DMARC pass is confirmed here.
 */
export function ownEvidence(res: AuthenticateResult, fromDomain: string): AuthEvidence {
  const strict = res.dmarc ? res.dmarc.alignment : undefined;
  const alignedBy = (isStrict: boolean | undefined, domain: string) =>
    isStrict ? domain.toLowerCase() === fromDomain : aligned(fromDomain, domain);
  const spfDomain = res.spf ? res.spf.domain : '';
  const spf = {
    result: res.spf ? asCheckResult(res.spf.status?.result) : ('none' as const),
    aligned: alignedBy(strict?.spf?.strict, spfDomain),
  };
  const dkim = (res.dkim.results ?? []).map((r) => ({
    result: asCheckResult(r.status?.result),
    aligned: alignedBy(strict?.dkim?.strict, r.signingDomain ?? ''),
  }));
  let dmarc = res.dmarc ? asCheckResult(res.dmarc.status?.result) : 'none';
  const alignedPass =
    (spf.result === 'pass' && spf.aligned) || dkim.some((d) => d.result === 'pass' && d.aligned);
  if (dmarc === 'pass' && !alignedPass) dmarc = 'fail';
  return { source: 'intake', fromDomain, dmarc, spf, dkim };
}

/**
 * A relay's results, read for the From domain only: a DMARC result about another domain is ignored
 * (some relays name the organizational domain, which is accepted).
 */
export function fromAuthResults(header: AuthResultsHeader, fromDomain: string, source: string): AuthEvidence {
  const of = (method: string) => header.entries.filter((e) => e.method === method);
  const dmarc = of('dmarc').find((e) => sameAuthor(fromDomain, e.props['header.from'] ?? ''));
  const spf = of('spf')[0];
  const spfDomain = domainOf(spf?.props['smtp.mailfrom'] ?? spf?.props['smtp.helo'] ?? '');
  return {
    source,
    fromDomain,
    dmarc: asCheckResult(dmarc?.result),
    spf: { result: asCheckResult(spf?.result), aligned: aligned(fromDomain, spfDomain) },
    dkim: of('dkim').map((e) => ({
      result: asCheckResult(e.result),
      aligned: aligned(fromDomain, e.props['header.d'] ?? domainOf(e.props['header.i'] ?? '')),
    })),
  };
}

/**
 * The results of the first (topmost, so newest) Authentication-Results header whose authserv-id is
 * that of a trusted relay on the network the connection came from; null when there is none. A relay
 * adds its header on top, so one lower down with the same authserv-id was written by someone else.
 */
export function trustedRelayEvidence(
  head: string,
  ip: string,
  relays: readonly TrustedRelay[],
  fromDomain: string,
): AuthEvidence | null {
  const ids = relayIdsAt(ip, relays);
  if (!ids.size) return null;
  const header = headerValues(head, 'authentication-results')
    .map(parseAuthResults)
    .find((h): h is AuthResultsHeader => h !== null && ids.has(h.authservId));
  return header ? fromAuthResults(header, fromDomain, `relay ${header.authservId}`) : null;
}

/**
 * The results of the latest ARC set, when the chain validated (mailauth's ARC result is `pass`) and that
 * set's seal and message signature are both by a trusted sealer. Earlier sets are ignored: only the
 * trusted sealer's own verdict counts, whoever sealed before it.
 */
export function arcEvidence(
  arc: ARCResult | false,
  head: string,
  sealers: readonly string[],
  fromDomain: string,
): AuthEvidence | null {
  if (!arc || arc.status.result !== 'pass' || !arc.i) return null;
  const instance = `i=${arc.i}`;
  const ofInstance = (name: string) =>
    headerValues(head, name).filter((v) => v.replace(/\s+/g, '').split(';')[0] === instance);
  const seals = ofInstance('arc-seal');
  const results = ofInstance('arc-authentication-results');
  if (seals.length !== 1 || results.length !== 1) return null;
  const sealer = /(?:^|;)\s*d=([^;\s]+)/i.exec(seals[0]!)?.[1]?.toLowerCase() ?? '';
  const signer = arc.signature ? arc.signature.signingDomain.toLowerCase() : '';
  if (!sealers.includes(sealer) || signer !== sealer) return null;
  const header = parseAuthResults(results[0]!);
  return header ? fromAuthResults(header, fromDomain, `ARC sealer ${sealer}`) : null;
}

/** The authserv-ids of the trusted relays whose network holds `ip` (IPv4-mapped IPv6 counts as IPv4). */
export function relayIdsAt(ip: string, relays: readonly TrustedRelay[]): Set<string> {
  const plain = ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
  const family = isIPv4(plain) ? 'ipv4' : 'ipv6';
  const ids = new Set<string>();
  for (const r of relays) {
    if (r.family !== family) continue;
    const net = new BlockList();
    net.addSubnet(r.address, r.prefix, r.family);
    if (net.check(plain, family)) ids.add(r.authservId);
  }
  return ids;
}

function aligned(fromDomain: string, domain: string): boolean {
  return Boolean(fromDomain && domain) && relaxedAligned(fromDomain, domain);
}

/** The DMARC result names the From domain, or its organizational domain. */
function sameAuthor(fromDomain: string, named: string): boolean {
  const d = named.trim().toLowerCase();
  return d === fromDomain || (fromDomain.endsWith(`.${d}`) && relaxedAligned(fromDomain, d));
}
