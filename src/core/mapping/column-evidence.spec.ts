import { dominantKind, fieldFromValues, judge, readColumn, EVIDENCE_ROWS } from './column-evidence';

const column = (...values: string[]) =>
  readColumn(
    values.map((v) => [v]),
    0,
  );

describe('readColumn', () => {
  it('counts non-empty values only', () => {
    const e = column('ana@example.com', '', 'ben@example.com', '  ');
    expect(e.values).toBe(2);
    expect(e.shares.get('email')).toBe(1);
  });

  it(`reads no more than the first ${EVIDENCE_ROWS} rows`, () => {
    const rows = Array.from({ length: EVIDENCE_ROWS + 50 }, () => ['ana@example.com']);
    expect(readColumn(rows, 0).values).toBe(EVIDENCE_ROWS);
  });

  it('takes a running number for ids, not postal codes', () => {
    expect(dominantKind(column('10231', '10232', '10233'))).toBe('number');
    expect(dominantKind(column('10117', '80331', '1010'))).toBe('postalCode');
  });
});

describe('dominantKind', () => {
  it('needs 80% of the values', () => {
    expect(
      dominantKind(column('a@example.com', 'b@example.com', 'c@example.com', 'd@example.com', 'n/a')),
    ).toBe('email');
    expect(dominantKind(column('a@example.com', 'b@example.com', 'n/a'))).toBeNull();
  });

  it('says nothing from a single value', () => {
    expect(dominantKind(column('a@example.com'))).toBeNull();
  });

  it('tells countries from states by the codes only one of them has', () => {
    expect(dominantKind(column('DE', 'AT', 'CH'))).toBe('country');
    expect(dominantKind(column('TX', 'CO', 'AZ'))).toBe('state');
  });

  it('gives up when the codes are countries and states alike', () => {
    expect(dominantKind(column('DE', 'CA', 'IN'))).toBeNull();
  });
});

describe('judge', () => {
  it('supports a field its values are made of', () => {
    expect(judge('phone', column('+49 30 1234567', '+49 40 5550100'))).toBe('supports');
    expect(judge('country', column('France', 'Italia'))).toBe('supports');
  });

  it('contradicts a field when the column is full of something unmistakably else', () => {
    expect(judge('phone', column('ana@example.com', 'ben@example.com'))).toBe('contradicts');
    expect(judge('jobTitle', column('Mr.', 'Ms.', 'Dr.'))).toBe('contradicts');
  });

  it('stays neutral on free text and on notes', () => {
    expect(judge('city', column('Berlin', 'Hamburg'))).toBe('neutral');
    expect(judge('notes', column('ana@example.com', 'ben@example.com'))).toBe('neutral');
  });
});

describe('fieldFromValues', () => {
  it('names the field of unmistakable values', () => {
    expect(fieldFromValues('clients', column('ana@example.com', 'ben@example.com'))).toEqual({
      field: 'email',
      confidence: 0.7,
    });
    expect(fieldFromValues('companies', column('Nordwind GmbH', 'Okafor Ltd'))?.field).toBe('name');
    expect(fieldFromValues('clients', column('Nordwind GmbH', 'Okafor Ltd'))?.field).toBe('company');
  });

  it('never maps ids, dates or plain numbers', () => {
    expect(fieldFromValues('clients', column('2024-03-01', '2024-03-04'))).toBeNull();
    expect(fieldFromValues('clients', column('003Dn000001AbCd', '003Dn000001AbCe'))).toBeNull();
    expect(fieldFromValues('clients', column('10231', '10232'))).toBeNull();
  });

  it('does not name a field the type lacks', () => {
    expect(fieldFromValues('leads', column('https://a.example.com', 'https://b.example.com'))).toBeNull();
  });
});
