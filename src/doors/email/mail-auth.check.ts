import { Inject, Injectable } from '@nestjs/common';
import { authenticate, type AuthenticateResult, type DNSResolver } from 'mailauth';
import { BlockList, isIPv4 } from 'node:net';
import { Readable } from 'node:stream';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { parseAuthResults, type AuthResultsHeader } from './auth-results';
import { headerValues } from './author-address';
import { domainOf } from './email-address';
import { asCheckResult, decideAll, type AuthEvidence, type AuthVerdict } from './mail-auth-decision';
import { relaxedAligned } from './org-domain';

export interface AuthInput {
  ip: string;
  helo: string;
  envelopeFrom: string;
  /** The single From address (already checked to be one header with one mailbox). */
  author: string;
  /** The message's raw header block. */
  head: string;
}

/**
 * Runs SPF, DKIM, DMARC and ARC with mailauth and turns the results into evidence for the decision:
 * Intake's own, plus that of relays the operator trusts: an Authentication-Results header carrying a
 * named authserv-id, only when the message came from that relay's network; an ARC chain that validates
 * and was sealed by a named domain. Anyone else's headers are never read. The DNS resolver can be
 * replaced (tests run offline).
 */
@Injectable()
export class MailAuthCheck {
  private resolver: DNSResolver | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.mail.mailAuth === 'enforce';
  }

  useResolver(resolver: DNSResolver | undefined): void {
    this.resolver = resolver;
  }

  async verdict(message: Readable, input: AuthInput): Promise<AuthVerdict> {
    const res = await authenticate(message, {
      ip: input.ip,
      helo: input.helo,
      sender: input.envelopeFrom,
      mta: this.config.mail.importDomain,
      resolver: this.resolver,
      disableArc: this.config.mail.trustedArcSealers.length === 0,
      disableBimi: true,
    });
    const fromDomain = domainOf(input.author);
    const checked = (res.dkim.headerFrom ?? []).map((a) => a.toLowerCase());
    if (checked.length !== 1 || checked[0] !== input.author) {
      // mailauth read another author than Intake did: its results are not about this sender.
      return { accept: false, code: 550, status: '5.7.1', reason: 'the From header could not be verified' };
    }
    const evidence = [ownEvidence(res, fromDomain)];
    const relay = this.relayEvidence(input, fromDomain);
    if (relay) evidence.push(relay);
    const sealed = this.arcEvidence(res, input.head, fromDomain);
    if (sealed) evidence.push(sealed);
    return decideAll(evidence);
  }

  /** The topmost Authentication-Results of a named relay, when the connection comes from its network. */
  private relayEvidence(input: AuthInput, fromDomain: string): AuthEvidence | null {
    const ip = plainIp(input.ip);
    const ids = new Set(
      this.config.mail.trustedRelays
        .filter((r) => {
          const net = new BlockList();
          net.addSubnet(r.address, r.prefix, r.family);
          return net.check(ip, isIPv4(ip) ? 'ipv4' : 'ipv6');
        })
        .map((r) => r.authservId),
    );
    if (!ids.size) return null;
    for (const value of headerValues(input.head, 'authentication-results')) {
      const header = parseAuthResults(value);
      if (header && ids.has(header.authservId)) return fromAuthResults(header, fromDomain);
    }
    return null;
  }

  /** The latest ARC set's results, when the chain validates and both its seal and signature are by a named sealer. */
  private arcEvidence(res: AuthenticateResult, head: string, fromDomain: string): AuthEvidence | null {
    const arc = res.arc;
    const sealers = this.config.mail.trustedArcSealers;
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
    return header ? { ...fromAuthResults(header, fromDomain), source: `ARC sealer ${sealer}` } : null;
  }
}

function plainIp(ip: string): string {
  return ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
}

function ownEvidence(res: AuthenticateResult, fromDomain: string): AuthEvidence {
  const spfDomain = res.spf ? res.spf.domain : '';
  return {
    source: 'intake',
    fromDomain,
    dmarc: res.dmarc ? asCheckResult(res.dmarc.status?.result) : 'none',
    spf: {
      result: res.spf ? asCheckResult(res.spf.status?.result) : 'none',
      aligned: Boolean(spfDomain) && relaxedAligned(fromDomain, spfDomain),
    },
    dkim: (res.dkim.results ?? []).map((r) => ({
      result: asCheckResult(r.status?.result),
      aligned: Boolean(r.signingDomain) && relaxedAligned(fromDomain, r.signingDomain),
    })),
  };
}

/** A relay's results, read for the From domain only: a DMARC result about another domain is ignored. */
function fromAuthResults(header: AuthResultsHeader, fromDomain: string): AuthEvidence {
  const of = (method: string) => header.entries.filter((e) => e.method === method);
  const dmarc = of('dmarc').find((e) => (e.props['header.from'] ?? '').toLowerCase() === fromDomain);
  const spf = of('spf')[0];
  const spfDomain = spf ? domainOf(spf.props['smtp.mailfrom'] ?? spf.props['smtp.helo'] ?? '') : '';
  return {
    source: `relay ${header.authservId}`,
    fromDomain,
    dmarc: asCheckResult(dmarc?.result),
    spf: {
      result: asCheckResult(spf?.result),
      aligned: Boolean(spfDomain) && relaxedAligned(fromDomain, spfDomain),
    },
    dkim: of('dkim').map((e) => {
      const d = e.props['header.d'] ?? domainOf(e.props['header.i'] ?? '');
      return { result: asCheckResult(e.result), aligned: Boolean(d) && relaxedAligned(fromDomain, d) };
    }),
  };
}
