/**
 * Whether a message's From domain is authenticated, decided from the results of SPF, DKIM and DMARC,
 * whoever produced them (Intake's own checks, or a relay the operator trusts). Pure: no DNS, no I/O.
 */

/** What a check said, as Authentication-Results spell it. */
export type CheckResult =
  'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror' | 'policy';

export interface AuthEvidence {
  /** Who produced the results: `intake`, or the trusted relay's name (shown in logs and replies). */
  source: string;
  /** The From domain the results are about. */
  fromDomain: string;
  /** DMARC's verdict; `none` when the From domain publishes no DMARC record. */
  dmarc: CheckResult;
  /** SPF for the envelope sender's domain; `aligned` when that domain is the From domain's organization. */
  spf: { result: CheckResult; aligned: boolean };
  /** One per DKIM signature; `aligned` when its d= is the From domain's organization. */
  dkim: readonly { result: CheckResult; aligned: boolean }[];
}

export type AuthVerdict =
  | { accept: true; source: string; via: 'dmarc' | 'spf' | 'dkim' }
  | { accept: false; code: 550 | 451; status: string; reason: string };

const RESULTS: readonly string[] = [
  'pass',
  'fail',
  'softfail',
  'neutral',
  'none',
  'temperror',
  'permerror',
  'policy',
];

/** Any other word (or none) counts as `none`: unknown is never a pass. */
export function asCheckResult(value: string | undefined): CheckResult {
  const v = (value ?? '').toLowerCase();
  if (v === 'temperr') return 'temperror';
  return (RESULTS.includes(v) ? v : 'none') as CheckResult;
}

const tryLater = (reason: string): AuthVerdict => ({ accept: false, code: 451, status: '4.7.0', reason });
const refuse = (status: string, reason: string): AuthVerdict => ({
  accept: false,
  code: 550,
  status,
  reason,
});

/**
 * DMARC decides when the domain publishes a record: pass is accepted, anything else refused whatever
 * its policy (p=none too: Intake acts for the sender, so a failing message is never acted on).
 * Without a record, an aligned SPF pass or an aligned passing DKIM signature is required.
 * A DNS failure that could have changed the outcome asks the sender's server to try later.
 */
export function decide(e: AuthEvidence): AuthVerdict {
  const from = e.fromDomain;
  const transient = e.spf.result === 'temperror' || e.dkim.some((d) => d.result === 'temperror');
  switch (e.dmarc) {
    case 'pass':
      return { accept: true, source: e.source, via: 'dmarc' };
    case 'temperror':
      return tryLater(`DMARC lookup for ${from} failed temporarily, try later`);
    case 'none':
      break;
    case 'fail':
      if (transient) return tryLater(`a DNS lookup for ${from} failed temporarily, try later`);
      return refuse('5.7.26', `DMARC check failed for ${from}: ${summary(e)}`);
    default:
      return refuse('5.7.26', `DMARC ${e.dmarc} for ${from}`);
  }
  if (e.spf.result === 'pass' && e.spf.aligned) return { accept: true, source: e.source, via: 'spf' };
  if (e.dkim.some((d) => d.result === 'pass' && d.aligned))
    return { accept: true, source: e.source, via: 'dkim' };
  if (transient) return tryLater(`a DNS lookup for ${from} failed temporarily, try later`);
  return refuse(signatures(e).length ? '5.7.26' : '5.7.23', `${from} is not authenticated: ${summary(e)}`);
}

/** DKIM results of actual signatures (mailauth reports `none` when a message has no signature). */
function signatures(e: AuthEvidence): AuthEvidence['dkim'] {
  return e.dkim.filter((d) => d.result !== 'none');
}

function summary(e: AuthEvidence): string {
  const spf = e.spf.result === 'pass' && !e.spf.aligned ? 'pass for another domain' : e.spf.result;
  const signed = signatures(e);
  const passes = signed.filter((d) => d.result === 'pass');
  const dkim = !signed.length
    ? 'no signature'
    : passes.some((d) => d.aligned)
      ? 'pass'
      : passes.length
        ? 'pass for another domain only'
        : signed[0]!.result;
  return `SPF ${spf}, DKIM ${dkim}`;
}

/**
 * Intake's own results, then those of trusted relays: the first that accepts wins. When none does,
 * a temporary failure is reported before a permanent one (the sender's server will try again).
 */
export function decideAll(evidence: readonly AuthEvidence[]): AuthVerdict {
  const verdicts = evidence.map(decide);
  const accepted = verdicts.find((v) => v.accept);
  if (accepted) return accepted;
  const later = verdicts.find((v) => !v.accept && v.code === 451);
  return later ?? verdicts[verdicts.length - 1] ?? refuse('5.7.1', 'no authentication results');
}
