import { boundedReport, cutReportNote, reportExtent } from './bounded-report';

async function* lines(n: number): AsyncGenerator<string> {
  yield 'row,reason\n';
  for (let i = 1; i <= n; i++) yield `${i},bad ñ\n`;
}

async function collect(it: AsyncIterable<string>): Promise<string> {
  let s = '';
  for await (const l of it) s += l;
  return s;
}

describe('boundedReport', () => {
  it('keeps every line when the report fits', async () => {
    const extent = { rows: 0, bytes: 0, cut: false };
    const text = await collect(boundedReport(lines(3), 1000, extent));
    expect(text.split('\n')).toHaveLength(5);
    expect(extent).toEqual({ rows: 3, bytes: Buffer.byteLength(text), cut: false });
  });

  it('cuts at a line, counting UTF-8 bytes, and stops reading the source', async () => {
    let read = 0;
    async function* counting(): AsyncGenerator<string> {
      for await (const l of lines(1_000_000)) {
        read++;
        yield l;
      }
    }
    const extent = { rows: 0, bytes: 0, cut: false };
    const text = await collect(boundedReport(counting(), 100, extent));
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(100);
    expect(text.endsWith('\n')).toBe(true);
    expect(extent.cut).toBe(true);
    expect(extent.rows).toBe(text.split('\n').length - 2);
    expect(read).toBe(extent.rows + 2);
  });

  it('always keeps the header', async () => {
    expect(await collect(boundedReport(lines(5), 1))).toBe('row,reason\n');
  });

  it('measures without keeping, the same as the cut', async () => {
    const kept = { rows: 0, bytes: 0, cut: false };
    await collect(boundedReport(lines(50), 200, kept));
    expect(await reportExtent(lines(50), 200)).toEqual(kept);
    expect(cutReportNote(kept, 50, 'imp1')).toMatch(/first \d+ of 50 rows .*intake report imp1/);
  });
});
