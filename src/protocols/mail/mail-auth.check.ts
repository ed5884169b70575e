import { Inject, Injectable, Logger } from '@nestjs/common';
import { authenticate, type DNSResolver } from 'mailauth';
import { Readable } from 'node:stream';
import { redact } from '../../core/redact';
import { within } from '../../core/time-limit';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { arcEvidence, ownEvidence, trustedRelayEvidence } from './auth-evidence';
import { domainOf } from './mail-address';
import { decideAll, type AuthVerdict } from './mail-auth-decision';

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
  private readonly log = new Logger('MailAuth');
  private resolver: DNSResolver | undefined;
  /** Longest wait for the checks (DNS answers, mostly) before the sender is asked to try later. */
  timeLimitMs = 30_000;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.mail.mailAuth === 'enforce';
  }

  useResolver(resolver: DNSResolver | undefined): void {
    this.resolver = resolver;
  }

  async verdict(message: Readable, input: AuthInput): Promise<AuthVerdict> {
    try {
      return await within(this.timeLimitMs, this.check(message, input));
    } catch (e) {
      this.log.warn(redact(`mail authentication did not complete: ${(e as Error).message}`));
      return {
        accept: false,
        code: 451,
        status: '4.7.0',
        reason: 'the sender could not be checked now, try later',
      };
    }
  }

  private async check(message: Readable, input: AuthInput): Promise<AuthVerdict> {
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
    const relay = trustedRelayEvidence(input.head, input.ip, this.config.mail.trustedRelays, fromDomain);
    if (relay) evidence.push(relay);
    const sealed = arcEvidence(res.arc, input.head, this.config.mail.trustedArcSealers, fromDomain);
    if (sealed) evidence.push(sealed);
    return decideAll(evidence);
  }
}
