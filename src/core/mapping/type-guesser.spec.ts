import { loadCorpus } from '../../../test/fixtures/headers/header-corpus';
import { guessType } from './type-guesser';

const corpus = loadCorpus();

describe('guessType on the header corpus', () => {
  it.each(corpus.map((c) => [c.file, c.type, c] as const))('guesses %s is %s', (_file, type, c) => {
    expect(guessType(c.headers, c.samples)).toBe(type);
  });
});

describe('guessType', () => {
  it('guesses clients for a plain list of people', () => {
    expect(guessType(['First Name', 'Last Name', 'Email', 'Phone'], [])).toBe('clients');
  });

  it('guesses companies for organisation names with industry and size', () => {
    expect(guessType(['Company Name', 'Industry', 'Employees', 'Website'], [])).toBe('companies');
  });

  it('guesses companies for a bare "Name" with two organisation signals', () => {
    expect(guessType(['Name', 'Industry', 'Number of Employees'], [])).toBe('companies');
  });

  it('guesses companies for an organisation name column without any person column', () => {
    expect(guessType(['Account Name', 'Phone', 'Website', 'City'], [])).toBe('companies');
  });

  it('guesses clients when a person name sits beside company columns', () => {
    expect(guessType(['Company', 'Industry', 'First Name', 'Last Name', 'Email'], [])).toBe('clients');
  });

  it('guesses clients for "Name" and e-mail without organisation signals', () => {
    expect(guessType(['Name', 'Email', 'Phone'], [])).toBe('clients');
  });

  it('guesses clients for a bare "Name" without any organisation signal', () => {
    expect(guessType(['Name', 'Phone', 'City'], [])).toBe('clients');
  });

  it('guesses leads when lead columns appear', () => {
    expect(guessType(['First Name', 'Email', 'Lead Status'], [])).toBe('leads');
  });

  it('guesses leads for a "Lead ID" column', () => {
    expect(guessType(['Lead ID', 'Full Name', 'Email'], [])).toBe('leads');
  });

  it('guesses leads for bare source and status columns together', () => {
    expect(guessType(['Name', 'Email', 'Source', 'Status'], [])).toBe('leads');
  });

  it('does not guess leads for a lone "Lead Source" column (contact exports carry it)', () => {
    expect(guessType(['First Name', 'Email', 'Lead Source'], [])).toBe('clients');
  });

  it('guesses clients when contact columns outweigh lead columns', () => {
    expect(guessType(['Contact ID', 'Contact Owner', 'First Name', 'Email', 'Lead Status'], [])).toBe(
      'clients',
    );
  });

  it('guesses clients for a file without recognisable headers', () => {
    expect(guessType(['foo', 'bar'], [])).toBe('clients');
  });

  it('guesses companies for a CRM accounts export, even with a contact person column', () => {
    expect(guessType(['Account Name', 'Account Number', 'Primary Contact', 'Email', 'Main Phone'], [])).toBe(
      'companies',
    );
  });

  it('guesses clients for a contacts export that links each person to an account', () => {
    expect(guessType(['First Name', 'Last Name', 'Account Name', 'Account Owner', 'Email'], [])).toBe(
      'clients',
    );
  });

  it('guesses leads for a form that asks how people heard about us', () => {
    expect(guessType(['First name', 'Email', 'How did you hear about us?'], [])).toBe('leads');
  });

  it("guesses leads for a social network's connections", () => {
    expect(guessType(['First Name', 'Last Name', 'Company', 'Position', 'Connected On'], [])).toBe('leads');
  });

  it('guesses leads for a marketing audience with opt-in columns', () => {
    expect(guessType(['Email Address', 'First Name', 'OPTIN_TIME', 'OPTIN_IP'], [])).toBe('leads');
  });

  it('does not guess leads for a lone lead source column in German either', () => {
    expect(guessType(['Vorname', 'E-Mail', 'Kontaktinhaber', 'Lead-Quelle'], [])).toBe('clients');
  });

  it("guesses leads for an event's attendees", () => {
    expect(guessType(['Order #', 'First Name', 'Email', 'Attendee #', 'Attendee Status'], [])).toBe('leads');
  });

  it('guesses leads for a campaign column', () => {
    expect(guessType(['Name', 'Email', 'Campaign'], [])).toBe('leads');
  });

  it("reads people's names in a column whose header says nothing", () => {
    const samples = [
      ['John Carter', 'Carter Plumbing LLC'],
      ['Mary Jones', 'Jones Dental'],
    ];
    expect(guessType(['Nm', 'Org'], samples)).toBe('clients');
    expect(guessType(['Nm', 'Org'], [])).toBe('companies');
  });
});
