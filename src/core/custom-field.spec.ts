import {
  customKeyFor,
  isSafeCustomKey,
  MAX_CUSTOM_KEY_LENGTH,
  targetLabel,
  uniqueCustomKey,
} from './custom-field';

describe('customKeyFor', () => {
  it.each([
    ['Birthday', 'birthday'],
    ['Date of Birth', 'dateOfBirth'],
    ['shoe_size', 'shoeSize'],
    ['LoyaltyTier', 'loyaltyTier'],
    ['Código Postal Antiguo', 'codigoPostalAntiguo'],
    ['Address1', 'address1'],
  ])('camelCases the header: %s', (header, key) => {
    expect(customKeyFor(header)).toBe(key);
  });

  it.each([
    ['a.b', 'aB'],
    ['$where', 'where'],
    ['fields.$set', 'fieldsSet'],
    ['__proto__', 'protoField'],
    ['constructor', 'constructorField'],
    ['2nd Phone', 'field2NdPhone'],
  ])('never gives a dot, a dollar or an object property name: %s', (header, key) => {
    expect(customKeyFor(header)).toBe(key);
    expect(isSafeCustomKey(key)).toBe(true);
  });

  it('gives the fallback for a header without letters or digits', () => {
    expect(customKeyFor('', 'column3')).toBe('column3');
    expect(customKeyFor('!!! ---')).toBe('field');
  });

  it('always gives a safe key, whatever the header', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const chars = Array.from({ length: 1 + (next() % 30) }, () => String.fromCodePoint(next() % 0x3000));
      const header = chars.join('');
      expect(isSafeCustomKey(customKeyFor(header, 'column1'))).toBe(true);
    }
  });

  it('bounds the length', () => {
    const key = customKeyFor('word '.repeat(500));
    expect(key.length).toBe(MAX_CUSTOM_KEY_LENGTH);
    expect(isSafeCustomKey(key)).toBe(true);
  });
});

describe('uniqueCustomKey', () => {
  it('suffixes 2, 3… within the file', () => {
    expect(uniqueCustomKey('birthday', new Set())).toBe('birthday');
    expect(uniqueCustomKey('birthday', new Set(['birthday']))).toBe('birthday2');
    expect(uniqueCustomKey('birthday', new Set(['birthday', 'birthday2']))).toBe('birthday3');
  });

  it('keeps a suffixed key within the length bound', () => {
    const long = 'a'.repeat(MAX_CUSTOM_KEY_LENGTH);
    expect(uniqueCustomKey(long, new Set([long]))).toBe(`${'a'.repeat(MAX_CUSTOM_KEY_LENGTH - 1)}2`);
  });
});

describe('isSafeCustomKey', () => {
  it.each(['a.b', '$x', '', 'has space', '__proto__', 'constructor', 'x'.repeat(41), 'Upper'])(
    'refuses %s',
    (key) => {
      expect(isSafeCustomKey(key)).toBe(false);
    },
  );
});

describe('targetLabel', () => {
  it('names catalog fields by label and custom fields by key', () => {
    expect(targetLabel('postalCode')).toBe('Postal Code');
    expect(targetLabel('custom.birthday')).toBe('Custom: birthday');
  });
});
