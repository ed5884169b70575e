import { SharedStrings } from './shared-strings';

describe('SharedStrings', () => {
  it('gives back every text, across growth, in any script', () => {
    const table = new SharedStrings();
    const texts = Array.from({ length: 5000 }, (_, i) =>
      i % 3 ? `Łukasz ${i} 日本` : i % 2 ? '' : 'x'.repeat(i),
    );
    for (const t of texts) table.push(t);
    expect(table.length).toBe(texts.length);
    expect(texts.every((t, i) => table.at(i) === t)).toBe(true);
  });

  it('answers an index it does not hold with an empty text', () => {
    const table = new SharedStrings();
    table.push('a');
    expect([table.at(1), table.at(-1), table.at(Number.NaN)]).toEqual(['', '', '']);
  });
});
