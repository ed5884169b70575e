import { domainToASCII } from 'node:url';
import { parse } from 'tldts';

/**
 * Hosts whose pages belong to many companies, told apart by path (a profile, a page): their domain says
 * nothing about which company a row is. Free mail providers are here too, for the website cells people
 * fill with an address's domain.
 */
const SHARED_HOSTS = new Set([
  'linkedin.com',
  'facebook.com',
  'fb.com',
  'instagram.com',
  'twitter.com',
  'x.com',
  'youtube.com',
  'tiktok.com',
  'pinterest.com',
  'xing.com',
  'crunchbase.com',
  'google.com',
  'goo.gl',
  'bit.ly',
  'linktr.ee',
  'medium.com',
  'github.com',
  'gitlab.com',
  'notion.site',
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'icloud.com',
  'aol.com',
  'gmx.de',
  'web.de',
  'proton.me',
  'protonmail.com',
  'example.com',
  'example.net',
  'example.org',
]);

/**
 * Site builders that give each customer a subdomain which the public suffix list does not name: there the
 * customer's whole host is its domain (`acme.wordpress.com`), and the builder's own site is none.
 */
const TENANT_HOSTS = new Set([
  'wordpress.com',
  'wixsite.com',
  'squarespace.com',
  'weebly.com',
  'webflow.io',
  'myshopify.com',
  'jimdofree.com',
  'jimdosite.com',
  'carrd.co',
  'strikingly.com',
]);

const MAX_INPUT = 2048;
/** The dots ending a host name; a run starts only after a non-dot, so a long run of dots is read once. */
export const TRAILING_DOTS = /(?<!\.)\.+$/;
/** A scheme and its slashes (`https://`, `mailto:`) at the start of a cell. */
export const LEADING_SCHEME = /^[a-z][a-z0-9+.-]*:(\/\/)?/i;

/**
 * The domain that identifies a company from its website cell, or null when the cell names none: the
 * registrable domain of the host (`https://www.shop.acme.co.uk:8080/x` → `acme.co.uk`), lower case, in
 * punycode, so that every way of writing one site gives one domain. IP addresses, hosts without a public
 * suffix, shared hosts (social profiles, free mail) and e-mail addresses give none: a domain is never
 * derived from an address, whose domain may be anybody's mail provider.
 */
export function companyDomain(website: string): string | null {
  const cell = website.trim();
  if (!cell || cell.length > MAX_INPUT || /\s/.test(cell)) return null;
  // An address (`ana@acme.com`, `mailto:`, or a link with a user part, as a scheme put before an address
  // gives) names a mailbox, not a site.
  const authority = cell.replace(LEADING_SCHEME, '').split(/[/?#]/, 1)[0]!;
  if (authority.includes('@')) return null;
  const hostname = parse(cell).hostname;
  if (!hostname) return null;
  const ascii = domainToASCII(hostname.replace(TRAILING_DOTS, ''));
  if (!ascii) return null;
  const found = parse(ascii, { allowPrivateDomains: true });
  if (found.isIp || !found.domain || !found.publicSuffix || (!found.isIcann && !found.isPrivate)) return null;
  const domain = found.domain.toLowerCase();
  if (TENANT_HOSTS.has(domain)) {
    const host = ascii.toLowerCase().replace(/^www\./, '');
    return host === domain ? null : host;
  }
  return SHARED_HOSTS.has(domain) ? null : domain;
}
