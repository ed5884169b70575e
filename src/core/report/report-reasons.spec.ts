import { ReasonTally, reasonKinds, reasonsText } from './report-reasons';

describe('reason kinds', () => {
  it('drops the quoted values and numbers, so rows with the same problem count together', () => {
    expect(reasonKinds('invalid email "bob@example"')).toEqual(['invalid email']);
    expect(reasonKinds('phone "12" could not be parsed; website "x" is not a URL')).toEqual([
      'phone could not be parsed',
      'website is not a URL',
    ]);
    expect(reasonKinds('row has 3 values but the header has 2 columns; values may be shifted')).toEqual([
      'row has N values but the header has N columns',
    ]);
  });

  it('tallies the most frequent kinds first, bounded in memory', () => {
    const t = new ReasonTally(2);
    for (const r of ['invalid email "a"', 'invalid email "b"', 'already exists', 'other', 'already exists'])
      t.add(r);
    t.add('invalid email "c"');
    expect(t.top(5)).toEqual([
      { reason: 'invalid email', rows: 3 },
      { reason: 'already exists', rows: 2 },
    ]);
    expect(reasonsText(t.top(1))).toBe('invalid email (3)');
  });
});
