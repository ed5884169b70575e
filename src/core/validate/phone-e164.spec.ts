import {
  CountryCode,
  getCountries,
  getCountryCallingCode,
  parsePhoneNumberFromString,
} from 'libphonenumber-js';
import examples from 'libphonenumber-js/mobile/examples';
import { phoneFastPathEnabled, phoneToE164 } from './phone-e164';

/** What the validator gave before the fast path: the plain library call. */
function plain(value: string, country: string): string | null {
  const parsed = parsePhoneNumberFromString(value, country as CountryCode);
  return parsed && parsed.isValid() ? parsed.number : null;
}

/** A small seeded generator (mulberry32), so every run checks the same cases. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNTRIES = getCountries();
const DEFAULTS = [
  'US',
  'GB',
  'DE',
  'FR',
  'ES',
  'CA',
  'AU',
  'RU',
  'KZ',
  'IN',
  'BR',
  'IT',
  'IM',
  'AG',
  'JP',
  'CN',
];

/** Spacings of a digit string: as is, grouped by 3 and 4, dotted, dashed, bracketed area. */
function spaced(d: string, r: () => number): string {
  switch (Math.floor(r() * 6)) {
    case 0:
      return d;
    case 1:
      return d.replace(/(\d{3})(?=\d)/g, '$1 ');
    case 2:
      return d.replace(/(\d{2})(?=\d{2})/g, '$1.');
    case 3:
      return `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`;
    case 4:
      return d.replace(/(\d{4})(?=\d)/g, '$1-');
    default:
      return ` ${d.slice(0, 2)} ( ${d.slice(2)} ) `;
  }
}

/** One digit changed, dropped or added: near misses of a valid number. */
function mutate(d: string, r: () => number): string {
  const at = Math.floor(r() * d.length);
  const digit = String(Math.floor(r() * 10));
  switch (Math.floor(r() * 4)) {
    case 0:
      return d.slice(0, at) + digit + d.slice(at + 1);
    case 1:
      return d.slice(0, at) + d.slice(at + 1);
    case 2:
      return d.slice(0, at) + digit + d.slice(at);
    default:
      return d;
  }
}

const randomDigits = (r: () => number, min: number, max: number) =>
  Array.from({ length: min + Math.floor(r() * (max - min + 1)) }, () => Math.floor(r() * 10)).join('');

/** Prefixes and suffixes the fast path must leave to the library, or read exactly as it does. */
const ODD = [
  (v: string) => `${v} ext. 12`,
  (v: string) => `${v} x34`,
  (v: string) => `${v}#`,
  (v: string) => `Tel: ${v}`,
  (v: string) => `tel:${v.replace(/\s/g, '')}`,
  (v: string) => `${v} (work)`,
  (v: string) => v.replace(/\d/g, (x) => String.fromCharCode(0xff10 + Number(x))),
  (v: string) => `+${v}`,
  (v: string) => `+ ${v}`,
  (v: string) => `(+${v})`,
  (v: string) => `${v}+`,
  (v: string) => `1${v}`,
  (v: string) => `0${v}`,
  (v: string) => `00${v}`,
  (v: string) => `011${v}`,
  (v: string) => `${v},,12`,
  (v: string) => `${v};ext=9`,
  (v: string) => v.replace(/\d{3}$/, 'ABC'),
  (v: string) => `${v}  `,
  (v: string) => v.replace(/ /g, '/'),
];

function cases(): [string, string][] {
  const r = random(42);
  const out: [string, string][] = [];
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  for (const c of COUNTRIES) {
    const example = (examples as Record<string, string | undefined>)[c];
    const cc = getCountryCallingCode(c);
    const bases = example ? [example, ...Array.from({ length: 12 }, () => mutate(example, r))] : [];
    bases.push(randomDigits(r, 5, 12), randomDigits(r, 2, 4), randomDigits(r, 13, 19));
    for (const d of bases) {
      const def = r() < 0.5 ? c : pick(DEFAULTS);
      out.push([`+${cc} ${spaced(d, r)}`, def]);
      out.push([spaced(d, r), c]);
      out.push([`0${spaced(d, r)}`, c]);
      out.push([spaced(`${cc}${d}`, r), c]);
      out.push([`00${cc} ${d}`, def]);
      out.push([pick(ODD)(spaced(d, r)), def]);
      out.push([pick(ODD)(`+${cc}${d}`), def]);
    }
  }
  for (let i = 0; i < 20_000; i++) {
    const d = randomDigits(r, 1, 20);
    const v = r() < 0.5 ? `+${spaced(d, r)}` : spaced(d, r);
    out.push([r() < 0.2 ? pick(ODD)(v) : v, pick(DEFAULTS)]);
  }
  for (const v of [
    '',
    ' ',
    '+',
    '()',
    '-',
    '12',
    '+1',
    '+12',
    'n/a',
    'call me',
    '1-800-FLOWERS',
    '+1 (202) 555-0100',
  ])
    out.push([v, 'US']);
  out.push(['+1 202 555 0100', 'ZZ'], ['202 555 0100', 'ZZ'], ['+44 20 7946 0958', '001']);
  return out;
}

describe('phoneToE164', () => {
  test('passes its check against the library at load', () => {
    expect(phoneFastPathEnabled()).toBe(true);
  });

  test('gives what the plain library call gives, on a large generated set of numbers', () => {
    const all = cases();
    const differ: string[] = [];
    let valid = 0;
    for (const [value, country] of all) {
      const expected = plain(value, country);
      if (expected) valid++;
      const got = phoneToE164(value, country);
      if (got !== expected) differ.push(`${JSON.stringify(value)} ${country}: ${got} != ${expected}`);
    }
    expect(differ.slice(0, 20)).toEqual([]);
    // The set holds many valid and many invalid numbers, not one kind only.
    expect(all.length).toBeGreaterThan(40_000);
    expect(valid).toBeGreaterThan(all.length / 10);
    expect(all.length - valid).toBeGreaterThan(all.length / 10);
  });
});
