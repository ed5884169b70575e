import { charsOf, clipCells, CUT_MARK } from './report-cells';

describe('clipCells', () => {
  const caps = { cellChars: 10, rowChars: 25 };

  it('gives the same cells back when nothing is over the caps', () => {
    const cells = ['Ana', 'ana@x.com'];
    expect(clipCells(cells, caps)).toBe(cells);
  });

  it('cuts a long value to the cell cap and says so', () => {
    expect(clipCells(['Ana', 'x'.repeat(50)], caps)).toEqual(['Ana', `${'x'.repeat(10)}${CUT_MARK}`]);
  });

  it('keeps the row within its cap and leaves out the cells past it', () => {
    const clipped = clipCells(['a'.repeat(10), 'b'.repeat(10), 'c'.repeat(10), 'd'], caps);
    expect(clipped).toEqual(['a'.repeat(10), 'b'.repeat(10), `ccccc${CUT_MARK}`]);
  });

  it('bounds a row of many short cells by the row cap, with one mark', () => {
    const clipped = clipCells(
      Array.from({ length: 1000 }, () => 'abc'),
      caps,
    );
    expect(charsOf(clipped)).toBe(caps.rowChars + CUT_MARK.length);
    expect(clipped[clipped.length - 1]).toBe(`a${CUT_MARK}`);
  });
});
