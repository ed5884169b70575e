import { kindsOf, tagsIn } from './value-kinds';

describe('kindsOf', () => {
  it.each([
    ['ana@example.com', 'email'],
    ['https://acme.example.com', 'url'],
    ['www.contoso.example.com', 'url'],
    ['acme.example.de', 'url'],
    ['2024-03-01', 'date'],
    ['2024-05-02T10:11:12Z', 'date'],
    ['01.03.2024', 'date'],
    ['+49 30 1234567', 'phone'],
    ['(512) 555-0101', 'phone'],
    ['030 1234567', 'phone'],
    ['SW1A 1AA', 'postalCode'],
    ['1015 EA', 'postalCode'],
    ['01310-100', 'postalCode'],
    ['Deutschland', 'country'],
    ['United Kingdom', 'country'],
    ['Espagne', 'country'],
    ['Paesi Bassi', 'country'],
    ['Ontario', 'state'],
    ['Nordrhein-Westfalen', 'state'],
    ['TX', 'state'],
    ['Ms.', 'salutation'],
    ['Herr', 'salutation'],
    ['Nordwind GmbH', 'companyName'],
    ['Rossi S.p.A.', 'companyName'],
    ['Baker & Sons', 'companyName'],
    ['Ana García', 'personName'],
    ['Jean-Luc de la Fontaine', 'personName'],
    ['VIP; Customers', 'tags'],
    ['newsletter, fair', 'tags'],
    ['6f1b2c3d-1111-4a2b-9c3d-0123456789ab', 'id'],
    ['003Dn000001AbCd', 'id'],
    ['True', 'boolean'],
    ['nein', 'boolean'],
  ])('reads %s as %s', (value, kind) => {
    expect(kindsOf(value)).toContain(kind);
  });

  it('reads a two-letter code as both country and state when it is both', () => {
    expect(kindsOf('DE')).toEqual(['country', 'state']);
  });

  it('reads a five-digit code as a postal code and a number', () => {
    expect(kindsOf('10117')).toEqual(['postalCode', 'number']);
  });

  it.each(['', '   ', 'Call after 5', 'Munich', 'Purchasing Manager', 'Springfield, IL 62701', '12345'])(
    'reads %j as nothing mappable beyond a number',
    (value) => {
      expect(kindsOf(value).filter((k) => k !== 'number' && k !== 'postalCode')).toEqual([]);
    },
  );

  it('does not take a bare run of digits or a short number for a phone number', () => {
    expect(kindsOf('4255550100')).not.toContain('phone');
    expect(kindsOf('12 34')).not.toContain('phone');
  });

  it('does not take an impossible international number for a phone number', () => {
    expect(kindsOf('+1 23')).not.toContain('phone');
  });

  it('reads only the head of a very long value', () => {
    expect(kindsOf(`${'x'.repeat(300)}@example.com`)).toEqual([]);
  });

  it.each([
    ['a@.example.com', ['email']],
    ['a@x..de', ['email']],
    ['a@x.d', []],
    ['a@.de', []],
  ])('reads %s as %j by its dotted domain', (value, kinds) => {
    expect(kindsOf(value).filter((k) => k === 'email')).toEqual(kinds);
  });
});

describe('tagsIn', () => {
  it.each([
    ['VIP; Customers', ['VIP', 'Customers']],
    ['a ; ; b', ['a', '', 'b']],
    [' a |b, c ', [' a', 'b', 'c ']],
    ['a\t,\tb', ['a', 'b']],
    ['no separator  ', ['no separator  ']],
  ])('cuts %j into %j, without the blanks around each separator', (value, parts) => {
    expect(tagsIn(value)).toEqual(parts);
  });
});
