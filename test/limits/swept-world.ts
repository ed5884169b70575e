import type { Clock } from '../../src/core/clock';
import { RetentionSweep } from '../../src/engine/imports/retention-sweep';
import type { Sink } from '../email/mail-support';
import { Harness, startHarness } from '../support/intake-harness';

export const DAY = 24 * 60 * 60 * 1000;

/** Real time plus whatever the test has skipped ahead. */
export class SkippingClock implements Clock {
  private skipped = 0;
  now(): Date {
    return new Date(Date.now() + this.skipped);
  }
  skipDays(days: number): void {
    this.skipped += days * DAY;
  }
}

export interface SweptWorld {
  h: Harness;
  clock: SkippingClock;
  sweep: RetentionSweep;
}

/**
 * An all-in-one Intake (API, SMTP, worker) answering mail to `domain` through `sink`, whose clock the
 * test moves; its timed retention sweep never fires by itself, the test runs `sweep`.
 */
export async function startSweptWorld(
  name: string,
  mail: { sink: Sink; domain: string },
  extra: NodeJS.ProcessEnv = {},
  clock = new SkippingClock(),
): Promise<SweptWorld> {
  const h = await startHarness(
    name,
    {
      INTAKE_ROLES: 'api,smtp,worker',
      SMTP_PORT: '0',
      IMPORT_DOMAIN: mail.domain,
      OUTBOUND_SMTP_URL: mail.sink.url,
      INTAKE_ALLOWED_SENDERS: '@example.com',
      INTAKE_RETENTION_SWEEP_MS: String(DAY),
      ...extra,
    },
    { clock },
  );
  return { h, clock, sweep: h.app.context.get(RetentionSweep) };
}
