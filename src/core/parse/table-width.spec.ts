import { IntakeError } from '../intake-error';
import type { FileLayout } from './file-sniffer';
import { fitLayout } from './table-width';

function layout(headers: string[], samples: string[][] = []): FileLayout {
  return { encoding: 'utf-8', bom: false, delimiter: ',', headerLine: 1, headers, samples };
}

describe('fitLayout', () => {
  it('refuses a file wider than the limit, saying how wide and what to do', () => {
    const wide = layout(Array.from({ length: 10_000 }, (_, i) => `c${i}`));
    let error: unknown;
    try {
      fitLayout(wide, 500);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IntakeError);
    expect(error).toMatchObject({
      code: 'too_many_columns',
      message:
        'This file has 10,000 columns; Intake takes at most 500. Remove the columns you do not need, or split the file.',
    });
  });

  it('says "at least" when the header may run past the bytes that were read', () => {
    const cut = layout(Array.from({ length: 21_020 }, (_, i) => `c${i}`));
    expect(() => fitLayout(cut, 500, true)).toThrow(
      /^This file has at least 21,020 columns; Intake takes at most 500\./,
    );
    expect(() => fitLayout(cut, 500, false)).toThrow(/^This file has 21,020 columns/);
  });

  it('accepts a file exactly as wide as the limit', () => {
    const headers = Array.from({ length: 500 }, (_, i) => `c${i}`);
    expect(fitLayout(layout(headers), 500).headers).toHaveLength(500);
  });

  it('keeps sample cells within the header and sample values short', () => {
    const fitted = fitLayout(layout(['Name', 'Email'], [['Ann', 'x'.repeat(10_000), '', '', '']]), 500);
    expect(fitted.samples).toEqual([['Ann', 'x'.repeat(512)]]);
  });
});
