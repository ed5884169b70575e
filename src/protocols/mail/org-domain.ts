/**
 * Relaxed alignment (two domains share one organizational domain, by the Public Suffix List), with
 * mailauth's own function, so that Intake and mailauth's DMARC never disagree on what aligns.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tools = require('mailauth/lib/tools') as {
  getAlignment(fromDomain: string, domains: string[]): { domain: string } | false;
};

export function relaxedAligned(fromDomain: string, domain: string): boolean {
  if (!fromDomain || !domain) return false;
  return Boolean(tools.getAlignment(fromDomain.toLowerCase(), [domain.toLowerCase()]));
}
