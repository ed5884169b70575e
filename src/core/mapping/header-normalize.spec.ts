import { normalizeHeader, tokenizeHeader } from './header-normalize';

describe('normalizeHeader', () => {
  it.each([
    ['First Name', 'first name'],
    ['  FIRST   NAME  ', 'first name'],
    ['firstName', 'first name'],
    ['MailingPostalCode', 'mailing postal code'],
    ['first_name', 'first name'],
    ['OPTIN_TIME', 'optin time'],
    ['URL', 'url'],
    ['Address1', 'address 1'],
    ['Card Last4', 'card last 4'],
  ])('splits camelCase, snake_case and digits: %s', (header, want) => {
    expect(normalizeHeader(header)).toBe(want);
  });

  it.each([
    ['Prénom', 'prenom'],
    ['Teléfono móvil', 'telefono movil'],
    ['Straße', 'strasse'],
  ])('strips accents: %s', (header, want) => {
    expect(normalizeHeader(header)).toBe(want);
  });

  it('reads full-width letters as plain ones', () => {
    expect(normalizeHeader('Ｅｍａｉｌ')).toBe('email');
  });

  it.each([
    ['E-mail', 'email'],
    ['E-Mail-Adresse', 'email adresse'],
    ['e mail', 'email'],
    ['eMail', 'email'],
    ['E_mail 2 Address', 'email 2 address'],
  ])('reads every spelling of e-mail as "email": %s', (header, want) => {
    expect(normalizeHeader(header)).toBe(want);
  });

  it('does not read "mail" inside another word as e-mail', () => {
    expect(normalizeHeader('Home Mailing Street')).toBe('home mailing street');
  });

  it.each([
    ['Person - Email - Work', 'person email work'],
    ['State/Province', 'state province'],
    ["Assistant's Phone", 'assistant s phone'],
    ['Created (UTC)', 'created utc'],
  ])('turns punctuation into spaces: %s', (header, want) => {
    expect(normalizeHeader(header)).toBe(want);
  });

  it('reads "#" as "number"', () => {
    expect(normalizeHeader('Mobile #')).toBe('mobile number');
  });

  it('normalizes a blank header to the empty string', () => {
    expect(normalizeHeader(' \t ')).toBe('');
  });
});

describe('tokenizeHeader', () => {
  it('returns the normalized words', () => {
    expect(tokenizeHeader('Address 1 - Postal Code')).toEqual(['address', '1', 'postal', 'code']);
  });

  it('returns no words for a blank header', () => {
    expect(tokenizeHeader('')).toEqual([]);
  });
});
