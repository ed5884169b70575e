// Plausible, not RFC-complete: one @, no spaces, a dotted domain with a 2+ letter TLD.
const EMAIL =
  /^[^\s@"<>(),;:]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}$/;

export function normalizeEmail(value: string): string | null {
  const email = value.trim().toLowerCase();
  if (!EMAIL.test(email) || email.includes('..')) return null;
  return email;
}

/** Adds a scheme when missing; null when the value cannot be a web address. */
export function normalizeWebsite(value: string): string | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  if (!['http:', 'https:'].includes(url.protocol) || !/^[^.\s]+(\.[^.\s]+)+$/.test(url.hostname)) return null;
  if (/\s/.test(value)) return null;
  // An address in a website cell (`ana@acme.com`) is a mailbox, not a site.
  if (url.username || url.password) return null;
  return url.pathname === '/' && !value.endsWith('/') && !url.search && !url.hash
    ? `${url.protocol}//${url.host}`
    : url.toString();
}

/** "1,200", "1 200", "1.200" and "1200" are 1200; anything else is not an employee count. */
export function parseEmployees(value: string): number | null {
  const compact = value.replace(/[\s\u00a0\u202f]/g, '');
  if (/^\d+$/.test(compact)) return Number(compact);
  if (/^\d{1,3}([,.']\d{3})+$/.test(compact)) return Number(compact.replace(/[,.']/g, ''));
  return null;
}

export function splitTags(value: string): string[] {
  return value
    .split(/[;,]/)
    .map((t) => t.trim())
    .filter(Boolean);
}

/** "Ana García" → Ana / García; "García, Ana" → Ana / García; one word is a first name. */
export function splitFullName(value: string): { firstName: string; lastName: string } {
  const comma = value.indexOf(',');
  if (comma > 0) {
    return { firstName: value.slice(comma + 1).trim(), lastName: value.slice(0, comma).trim() };
  }
  const parts = value.trim().split(/\s+/);
  const firstName = parts.shift() ?? '';
  return { firstName, lastName: parts.join(' ') };
}

const ASCII = /^[\x00-\x7f]*$/;

/** The duplicate key of a company: case-folded, trimmed, inner whitespace collapsed. */
export function companyKey(name: string): string {
  // ASCII is its own NFC form and its en-US lower case is the plain one: the common case skips the
  // costly Unicode steps and gives the same key.
  if (ASCII.test(name)) return name.trim().replace(/\s+/g, ' ').toLowerCase();
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en-US');
}
