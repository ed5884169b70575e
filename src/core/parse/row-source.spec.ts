import { isUtf8 } from 'node:buffer';
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FileLayout, sniffLayout } from './file-sniffer';
import { RowLimits } from './record-guard';
import { readRows, SourceRow } from './row-source';

const FIXTURES = join(__dirname, '../../../test/fixtures/csv');

function layoutOf(name: string): FileLayout {
  const bytes = readFileSync(join(FIXTURES, name));
  return sniffLayout(bytes, { utf8Valid: isUtf8(bytes), truncated: false });
}

function layout(overrides: Partial<FileLayout> = {}): FileLayout {
  return {
    encoding: 'utf-8',
    bom: false,
    delimiter: ',',
    headerLine: 1,
    headers: ['Name', 'Email'],
    samples: [],
    ...overrides,
  };
}

async function collect(source: Readable, fileLayout: FileLayout, limits?: RowLimits): Promise<SourceRow[]> {
  const items: SourceRow[] = [];
  for await (const item of readRows(source, fileLayout, limits)) items.push(item);
  return items;
}

/** Streams a fixture in small chunks, so that records, quotes and characters straddle chunk boundaries. */
function rowsOf(name: string, chunkBytes = 7): Promise<SourceRow[]> {
  return collect(createReadStream(join(FIXTURES, name), { highWaterMark: chunkBytes }), layoutOf(name));
}

function rowsOfText(text: string, fileLayout = layout()): Promise<SourceRow[]> {
  return collect(Readable.from([Buffer.from(text)]), fileLayout);
}

function numbers(items: SourceRow[]): number[] {
  return items.map((item) => item.row);
}

function cellsOf(items: SourceRow[]): string[][] {
  return items.flatMap((item) => (item.kind === 'row' ? [item.cells] : []));
}

describe('readRows: row numbers', () => {
  it('numbers data rows as lines of the file, the header being row 1', async () => {
    expect(numbers(await rowsOf('utf8.csv'))).toEqual([2, 3]);
  });

  it('numbers rows from the header when title lines precede it', async () => {
    expect(numbers(await rowsOf('title-lines.csv'))).toEqual([2, 3]);
  });

  it('does not yield title lines or the header', async () => {
    expect(cellsOf(await rowsOf('title-lines.csv')).map((c) => c[0])).toEqual(['John', 'Jane']);
  });

  it('advances the next row by the lines a quoted field spans', async () => {
    expect(numbers(await rowsOf('quoted.csv'))).toEqual([2, 3, 6]);
  });

  it('counts a CRLF inside a quoted field as one line', async () => {
    expect(numbers(await rowsOf('crlf.csv'))).toEqual([2, 3, 6]);
  });

  it('counts a bare LF inside a quoted field of a CRLF file as a line', async () => {
    expect(numbers(await rowsOf('excel-multiline.csv'))).toEqual([2, 4]);
  });

  it('counts blank lines and all-empty records without yielding them', async () => {
    expect(numbers(await rowsOf('trailing-blank-lines.csv'))).toEqual([2, 6]);
  });

  it('splits on LF in a file that mostly uses CRLF', async () => {
    expect(cellsOf(await rowsOfText('Name,Email\r\nAnn,a@x.com\nBob,b@x.com\r\n'))).toEqual([
      ['Ann', 'a@x.com'],
      ['Bob', 'b@x.com'],
    ]);
  });

  it('splits on a lone CR (classic Mac line ends)', async () => {
    expect(numbers(await rowsOfText('Name,Email\rAnn,a@x.com\rBob,b@x.com'))).toEqual([2, 3]);
  });

  it('gives the same rows whatever the chunk size', async () => {
    const names = readdirSync(FIXTURES).filter((n) => n.endsWith('.csv') && layoutOfOrNull(n) !== null);
    for (const name of names) {
      expect([name, await rowsOf(name, 1)]).toEqual([name, await rowsOf(name, 65536)]);
    }
  });
});

function layoutOfOrNull(name: string): FileLayout | null {
  try {
    return layoutOf(name);
  } catch {
    return null;
  }
}

describe('readRows: cells', () => {
  it('unquotes delimiters, doubled quotes and line breaks', async () => {
    expect(cellsOf(await rowsOf('quoted.csv')).slice(0, 2)).toEqual([
      ['Acme, Inc.', 'a@acme.com', 'He said "hi"'],
      ['Bob', 'bob@example.com', 'line one\nline two\nline three'],
    ]);
  });

  it('keeps CRLF inside a quoted field as it is', async () => {
    expect(cellsOf(await rowsOf('crlf.csv'))[1]?.[2]).toBe('line one\r\nline two\r\nline three');
  });

  it('does not trim cells', async () => {
    expect(cellsOf(await rowsOfText('Name,Email\n Ann , a@x.com \n'))).toEqual([[' Ann ', ' a@x.com ']]);
  });

  it('passes ragged rows through as they are', async () => {
    expect(cellsOf(await rowsOf('ragged.csv'))).toEqual([
      ['Ann', 'ann@example.com'],
      ['Bob', 'bob@example.com', 'Rome', '', ''],
      ['Cid', 'cid@example.com', 'Oslo', 'extra'],
    ]);
  });

  it('keeps every column under repeated header names', async () => {
    expect(cellsOf(await rowsOf('repeated-headers.csv'))).toEqual([
      ['work@example.com', 'Ann', 'home@example.com'],
    ]);
  });

  it.each([
    ['semicolon.csv', ['Jürgen', 'Weiß', 'juergen@example.de', '1,5']],
    ['tab.csv', ['John Doe', 'john@example.com', 'Acme, Inc.']],
    ['pipe.csv', ['John', 'john@example.com', 'Berlin']],
  ])('splits %s on its delimiter', async (name, first) => {
    expect(cellsOf(await rowsOf(name))[0]).toEqual(first);
  });

  it.each(['utf8-bom.csv', 'utf16le-bom.csv', 'utf16be-bom.csv'])(
    'decodes %s without its BOM',
    async (name) => {
      expect(cellsOf(await rowsOf(name))).toEqual([
        ['José', 'Müller', 'jose@example.com'],
        ['Zoë', 'Ünal', 'zoe@example.com'],
      ]);
    },
  );

  it('decodes Windows-1252', async () => {
    expect(cellsOf(await rowsOf('windows-1252.csv'))).toEqual([
      ['José', 'Müller', 'jose@example.com', 'costs 5 €'],
    ]);
  });

  it('passes stray control characters and replacement characters in text rows through', async () => {
    const items = await rowsOfText('Name,Notes\nJ\uFFFDrg M\uFFFDller,line\u000Bbreak\nAnn,x\n');
    expect(cellsOf(items)).toEqual([
      ['J\uFFFDrg M\uFFFDller', 'line\u000Bbreak'],
      ['Ann', 'x'],
    ]);
  });

  it('treats a DOS end-of-file mark as a blank line', async () => {
    expect(await rowsOf('dos-eof-marker.csv')).toEqual([
      { kind: 'row', row: 2, cells: ['Ann', 'ann@example.com'] },
    ]);
  });
});

describe('readRows: malformed files', () => {
  it('yields the rows before an unterminated quote, then an error at the row where it opens', async () => {
    expect(await rowsOf('unterminated-quote.csv')).toEqual([
      { kind: 'row', row: 2, cells: ['Ann', 'ann@example.com'] },
      { kind: 'row', row: 3, cells: ['Bob', 'bob@example.com'] },
      { kind: 'error', row: 4, code: 'unterminated_quote', message: expect.stringContaining('never closed') },
    ]);
  });

  it('stops at a quote that runs away mid-file without buffering the rest', async () => {
    const rows = Array.from({ length: 120_000 }, (_, i) => `P${i},p${i}@example.com`).join('\n');
    const items = await rowsOfText(`Name,Email\nAnn,ann@example.com\n"Bob,${rows}\n`);
    expect(items.at(-1)).toMatchObject({ kind: 'error', row: 3, code: 'unterminated_quote' });
  });

  it('yields the rows before a binary tail, then a binary_data error', async () => {
    const items = await rowsOf('binary-tail.csv');
    expect([items.at(-1), items.filter((i) => i.kind === 'error').length]).toEqual([
      { kind: 'error', row: 7, code: 'binary_data', message: expect.any(String) },
      1,
    ]);
  });

  it('keeps every text row before a binary tail', async () => {
    expect(cellsOf(await rowsOf('binary-tail.csv')).slice(0, 3)).toEqual([
      ['Ann', 'ann@example.com'],
      ['Bob', 'bob@example.com'],
      ['Cid', 'cid@example.com'],
    ]);
  });

  it('skips a record too long to be a row, keeping only its first bytes, and reads on', async () => {
    const items = await rowsOfText(`Name,Email\nAnn,a@x.com\n${'x'.repeat(5 * 1024 * 1024)}\nBob,b@x.com\n`);
    expect(items).toEqual([
      { kind: 'row', row: 2, cells: ['Ann', 'a@x.com'] },
      { kind: 'oversize', row: 3, cells: ['x'.repeat(4 * 1024 * 1024)], reason: 'row 3 is longer than 4 MB' },
      { kind: 'row', row: 4, cells: ['Bob', 'b@x.com'] },
    ]);
  });

  it('ends with an unterminated quote when a quoted value outgrows the record limit', async () => {
    const text = `Name,Email\nAnn,a@x.com\n"${'x\n'.repeat(600)}\n`;
    const items = await collect(Readable.from([Buffer.from(text)]), layout(), {
      maxExtraCells: 50,
      maxRecordBytes: 1000,
    });
    expect(items).toEqual([
      { kind: 'row', row: 2, cells: ['Ann', 'a@x.com'] },
      { kind: 'error', row: 3, code: 'unterminated_quote', message: expect.stringContaining('never closed') },
    ]);
  });

  it('ends with an error item, not a thrown exception, when reading a row fails unexpectedly', async () => {
    let reads = 0;
    const faulty = {
      ...layout(),
      get headerLine(): number {
        if (++reads === 3) throw new Error('unexpected fault');
        return 1;
      },
    };
    const items = await rowsOfText('Name,Email\nAnn,a@x.com\nBob,b@x.com\n', faulty);
    expect(items[items.length - 1]).toMatchObject({ kind: 'error', code: 'malformed' });
    expect(JSON.stringify(items)).toContain('unexpected fault');
  });

  it('passes an error of the byte source on to the consumer', async () => {
    const source = new Readable({
      read() {
        this.destroy(new Error('disk gone'));
      },
    });
    await expect(collect(source, layout())).rejects.toThrow('disk gone');
  });
});

describe('readRows: streaming', () => {
  it('stops reading the source when the consumer stops early', async () => {
    const source = Readable.from(
      Array.from({ length: 1000 }, (_, i) =>
        Buffer.from(`${i === 0 ? 'Name,Email\n' : ''}P${i},p${i}@x.com\n`),
      ),
    );
    for await (const item of readRows(source, layout())) {
      if (item.row === 3) break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.destroyed).toBe(true);
  });

  it('accepts text chunks from the source', async () => {
    expect(
      numbers(await collect(Readable.from(['Name,Email\nAnn,', 'a@x.com\nBob,b@x.com']), layout())),
    ).toEqual([2, 3]);
  });
});

describe('readRows: rows over the limits', () => {
  const small: RowLimits = { maxExtraCells: 5, maxRecordBytes: 64 };

  function chunked(text: string, chunkBytes = 7): Readable {
    const bytes = Buffer.from(text);
    const parts: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += chunkBytes) parts.push(bytes.subarray(i, i + chunkBytes));
    return Readable.from(parts);
  }

  it('skips a row with many more cells than the header, keeping only the first ones', async () => {
    const text = `Name,Email\nAnn,a@x.com\nBob,b@x.com${','.repeat(3_000_000)}\nCid,c@x.com\n`;
    const items = await collect(Readable.from([Buffer.from(text)]), layout(), {
      ...small,
      maxRecordBytes: 1 << 20,
    });
    expect(items).toEqual([
      { kind: 'row', row: 2, cells: ['Ann', 'a@x.com'] },
      {
        kind: 'oversize',
        row: 3,
        cells: ['Bob', 'b@x.com', '', '', '', '', ''],
        reason: 'row 3 has 3,000,002 cells; the header has 2',
      },
      { kind: 'row', row: 4, cells: ['Cid', 'c@x.com'] },
    ]);
  });

  it('keeps a row up to the header width plus the extra cells allowed', async () => {
    const items = await collect(chunked(`Name,Email\nAnn,a@x.com,1,2,3,4,5\n`), layout(), small);
    expect(items).toEqual([{ kind: 'row', row: 2, cells: ['Ann', 'a@x.com', '1', '2', '3', '4', '5'] }]);
  });

  it('reports a row of nothing but delimiters as over-wide, not as a blank line', async () => {
    const items = await collect(chunked(`Name,Email\n${','.repeat(100)}\nAnn,a@x.com\n`), layout(), small);
    expect(items.map((i) => [i.kind, i.row])).toEqual([
      ['oversize', 2],
      ['row', 3],
    ]);
  });

  it('counts lines inside dropped quoted cells, so later rows keep their numbers', async () => {
    const wide = `Ann,a@x.com,1,2,3,4,5,"six\nlines\r\nof\rtext\n",7`;
    const items = await collect(chunked(`Name,Email\n${wide}\nBob,b@x.com\n`), layout(), small);
    expect(items.map((i) => [i.kind, i.row])).toEqual([
      ['oversize', 2],
      ['row', 7],
    ]);
  });

  it('skips a long unquoted row whatever the chunks, and reads on', async () => {
    const items = await collect(
      chunked(`Name,Email\n${'y'.repeat(500)},z\nAnn,a@x.com\n`, 13),
      layout(),
      small,
    );
    expect(items).toEqual([
      { kind: 'oversize', row: 2, cells: ['y'.repeat(64), ''], reason: 'row 2 is longer than 64 bytes' },
      { kind: 'row', row: 3, cells: ['Ann', 'a@x.com'] },
    ]);
  });

  it('skips a last line of 10 MB without a line break, holding at most the limit', async () => {
    const line = Buffer.alloc(1024 * 1024, 'x');
    const source = Readable.from(
      (function* () {
        yield Buffer.from('Name,Email\nAnn,a@x.com\n');
        for (let i = 0; i < 10; i++) yield line;
      })(),
    );
    const items = await collect(source, layout(), { maxExtraCells: 50, maxRecordBytes: 1024 * 1024 });
    expect(items.map((i) => [i.kind, i.row, i.kind === 'oversize' ? i.reason : ''])).toEqual([
      ['row', 2, ''],
      ['oversize', 3, 'row 3 is longer than 1 MB'],
    ]);
  });
});
