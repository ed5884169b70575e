import {
  companyKey,
  normalizeEmail,
  normalizeWebsite,
  parseEmployees,
  splitFullName,
  splitTags,
} from './value-normalizers';
import { phoneToE164 } from './phone-e164';

describe('phoneToE164', () => {
  test('reads a cell that is just a number', () => {
    expect(phoneToE164('(415) 555-0100', 'US')).toBe('+14155550100');
    expect(phoneToE164('+44 20 7946 0958', 'US')).toBe('+442079460958');
    expect(phoneToE164('030 1234567', 'DE')).toBe('+49301234567');
  });

  test('finds the number inside text', () => {
    expect(phoneToE164('Tel: +1 202 555 0100', 'US')).toBe('+12025550100');
    expect(phoneToE164('+1 202 555 0100 (work)', 'US')).toBe('+12025550100');
  });

  test('gives nothing for what is not a valid number', () => {
    expect(phoneToE164('12345', 'US')).toBeNull();
    expect(phoneToE164('n/a', 'US')).toBeNull();
    expect(phoneToE164('+1 000 000 0000', 'US')).toBeNull();
  });
});

describe('normalizeEmail', () => {
  test('lower-cases and trims a plausible address', () => {
    expect(normalizeEmail('  Ana.Garcia@Example.COM ')).toBe('ana.garcia@example.com');
  });
  test('refuses what cannot be an address', () => {
    for (const bad of [
      'ana at example.com',
      'ana@example',
      'ana@@example.com',
      'ana..x@example.com',
      'a b@example.com',
    ])
      expect([bad, normalizeEmail(bad)]).toEqual([bad, null]);
  });
});

describe('normalizeWebsite', () => {
  test('adds a scheme and keeps a bare host bare', () => {
    expect(normalizeWebsite('acme.com')).toBe('https://acme.com');
    expect(normalizeWebsite('http://acme.com/about')).toBe('http://acme.com/about');
  });
  test('refuses what is not a web address', () => {
    expect(normalizeWebsite('not a url')).toBeNull();
    expect(normalizeWebsite('ftp://acme.com')).toBeNull();
    expect(normalizeWebsite('ana@acme.com')).toBeNull();
    expect(normalizeWebsite('https://user:secret@acme.com')).toBeNull();
  });
});

describe('parseEmployees, splitTags, splitFullName, companyKey', () => {
  test('employee counts with thousands separators', () => {
    expect(parseEmployees('1,200')).toBe(1200);
    expect(parseEmployees('1 200')).toBe(1200);
    expect(parseEmployees('about 50')).toBeNull();
  });
  test('tags split on commas and semicolons', () => {
    expect(splitTags('vip; trade fair, , 2026')).toEqual(['vip', 'trade fair', '2026']);
  });
  test('full names in both orders', () => {
    expect(splitFullName('Ana García López')).toEqual({ firstName: 'Ana', lastName: 'García López' });
    expect(splitFullName('García, Ana')).toEqual({ firstName: 'Ana', lastName: 'García' });
  });
  test('company keys fold case and spaces', () => {
    expect(companyKey('  Acme   Inc ')).toBe(companyKey('ACME INC'));
  });
  test('company keys of ASCII names are those of the full Unicode folding', () => {
    const full = (n: string) => n.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en-US');
    const chars = ' \t\n\x0bAaIiZz09.,&-\'"()\x00\x7f';
    for (let seed = 1; seed < 5000; seed++) {
      let name = '';
      for (let i = 0, x = seed; i < 1 + (seed % 17); i++, x = (x * 48271) % 2147483647)
        name += chars[x % chars.length];
      expect(companyKey(name)).toBe(full(name));
    }
    expect(companyKey('  ÉCOLE  Straße İnc ')).toBe(full('  ÉCOLE  Straße İnc '));
  });
});
