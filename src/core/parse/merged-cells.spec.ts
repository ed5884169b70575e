import { MAX_MERGES, MergeScanner, parseRange } from './merged-cells';

describe('parseRange', () => {
  it('reads an area in either corner order, and a single cell', () => {
    expect(parseRange('C4:B2')).toEqual({ top: 2, bottom: 4, left: 2, right: 3 });
    expect(parseRange('AA10')).toEqual({ top: 10, bottom: 10, left: 27, right: 27 });
    expect(parseRange('4:5')).toBeNull();
  });
});

describe('MergeScanner', () => {
  it('finds merges split across chunks, once each, with or without a prefix', () => {
    const xml = '<sheetData/><mergeCells><mergeCell ref="A1:E1"/><x:mergeCell ref="b2:b9"/></mergeCells>';
    for (let cut = 1; cut < xml.length; cut += 7) {
      const scanner = new MergeScanner();
      scanner.scan(xml.slice(0, cut));
      scanner.scan(xml.slice(cut));
      expect(scanner.refs).toEqual(['A1:E1', 'B2:B9']);
    }
  });

  it('reads a tag by its own attributes, not past an unclosed tag into the next one', () => {
    const scanner = new MergeScanner();
    scanner.scan('<mergeCell a="1" <c r="A1"/><mergeCell spans="2" ref="C3:D4"/><mergeCell <x ref="A9:B9"/>');
    expect(scanner.refs).toEqual(['C3:D4']);
  });

  it('keeps at most MAX_MERGES, and none that would cover too many cells', () => {
    const scanner = new MergeScanner();
    scanner.scan('<mergeCell ref="A1:XFD1048576"/>');
    for (let i = 1; i <= MAX_MERGES + 5; i++) scanner.scan(`<mergeCell ref="A${i}:B${i}"/>`);
    expect(scanner.refs).toHaveLength(MAX_MERGES);
    expect(scanner.refs[0]).toBe('A1:B1');
  });

  it('scans tags that never close in time linear in the text (a guard with a wide margin)', () => {
    const cost = (bytes: number): number => {
      const chunk = '<mergeCell '.repeat(Math.ceil(65_536 / 11));
      const scanner = new MergeScanner();
      const started = process.hrtime.bigint();
      for (let done = 0; done < bytes; done += chunk.length) scanner.scan(chunk);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    cost(1 << 20); // warm up the pattern
    const small = cost(1 << 20);
    const large = cost(16 << 20);
    expect(large).toBeLessThan(small * 16 * 8 + 500);
  });
});
