/** Lower-cased, without angle brackets or surrounding spaces. */
export function normalizeAddress(address: string): string {
  return address.trim().replace(/^<|>$/g, '').trim().toLowerCase();
}

export function domainOf(address: string): string {
  const a = normalizeAddress(address);
  return a.slice(a.lastIndexOf('@') + 1);
}

export function localPartOf(address: string): string {
  const a = normalizeAddress(address);
  return a.slice(0, Math.max(0, a.lastIndexOf('@')));
}
