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

  it('reads at most the characters asked for, in any script, decoding only their bytes', () => {
    const table = new SharedStrings();
    const texts = ['a'.repeat(10_000), '日本'.repeat(5_000), '😀'.repeat(5_000), 'ab', ''];
    for (const t of texts) table.push(t);
    for (const [i, t] of texts.entries()) {
      expect(table.at(i, 7)).toBe(t.slice(0, 7));
      expect(table.at(i, 100_000)).toBe(t);
    }
  });
});
