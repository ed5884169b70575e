import { Inject, Injectable } from '@nestjs/common';
import { authenticate, type DNSResolver } from 'mailauth';
import { Readable } from 'node:stream';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

export interface AuthInput {
  ip: string;
  helo: string;
  envelopeFrom: string;
}

/**
 * SPF/DKIM/DMARC with mailauth when INTAKE_MAIL_AUTH=enforce. A message is refused when DMARC fails, or,
 * for a domain without DMARC, when SPF fails and no DKIM signature passes. "none" (no records) passes:
 * the allow-list still applies. The DNS resolver can be replaced (tests run offline).
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

  /** Null when the message passes, else the reason it is refused. */
  async refusal(message: Readable, input: AuthInput): Promise<string | null> {
    const res = await authenticate(message, {
      ip: input.ip,
      helo: input.helo,
      sender: input.envelopeFrom,
      mta: this.config.mail.importDomain,
      resolver: this.resolver,
      disableArc: true,
      disableBimi: true,
    });
    const dmarc = res.dmarc ? res.dmarc.status?.result : undefined;
    if (dmarc === 'fail') return 'DMARC check failed';
    const dkimPass = (res.dkim?.results ?? []).some((r) => r.status?.result === 'pass');
    const spf = res.spf ? res.spf.status?.result : undefined;
    if ((!dmarc || dmarc === 'none') && spf === 'fail' && !dkimPass) return 'SPF check failed';
    return null;
  }
}
