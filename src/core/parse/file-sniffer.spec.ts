import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IntakeError } from '../intake-error';
import { ByteInspector, FileLayout, SNIFF_CELL_CHARS, sniffLayout } from './file-sniffer';

const FIXTURES = join(__dirname, '../../../test/fixtures/csv');

function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

function sniffBytes(bytes: Buffer, truncated = false): FileLayout {
  return sniffLayout(bytes, { utf8Valid: isUtf8(bytes), truncated });
}

function sniff(name: string): FileLayout {
  return sniffBytes(fixture(name));
}

function rejection(run: () => unknown): IntakeError {
  try {
    run();
  } catch (e) {
    if (e instanceof IntakeError) return e;
    throw e;
  }
  throw new Error('expected an IntakeError');
}

async function inspect(
  chunks: Buffer[],
  headBytes?: number,
): Promise<{ inspector: ByteInspector; out: Buffer }> {
  const inspector = new ByteInspector(headBytes);
  const received: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      received.push(chunk);
      done();
    },
  });
  await pipeline(Readable.from(chunks), inspector, sink);
  return { inspector, out: Buffer.concat(received) };
}

describe('sniffLayout: encodings', () => {
  it('reads UTF-8 without a BOM', () => {
    expect(sniff('utf8.csv')).toMatchObject({
      encoding: 'utf-8',
      bom: false,
      samples: [['José', 'Müller', 'jose@example.com'], expect.anything()],
    });
  });

  it('reads UTF-8 with a BOM and keeps the BOM out of the first header', () => {
    expect(sniff('utf8-bom.csv')).toMatchObject({
      encoding: 'utf-8',
      bom: true,
      headers: ['First Name', 'Last Name', 'Email'],
    });
  });

  it('reads UTF-16 LE with a BOM', () => {
    expect(sniff('utf16le-bom.csv')).toMatchObject({
      encoding: 'utf-16le',
      bom: true,
      headers: ['First Name', 'Last Name', 'Email'],
    });
  });

  it('reads UTF-16 BE with a BOM', () => {
    expect(sniff('utf16be-bom.csv')).toMatchObject({
      encoding: 'utf-16be',
      bom: true,
      samples: [['José', 'Müller', 'jose@example.com'], expect.anything()],
    });
  });

  it('falls back to Windows-1252 when the bytes are not UTF-8', () => {
    expect(sniff('windows-1252.csv')).toMatchObject({
      encoding: 'windows-1252',
      samples: [['José', 'Müller', 'jose@example.com', 'costs 5 €']],
    });
  });

  it('rejects another legacy encoding (Shift-JIS), asking for CSV UTF-8', () => {
    const error = rejection(() => sniff('shift-jis.csv'));
    expect([error.code, error.message]).toEqual([
      'unsupported_encoding',
      expect.stringContaining('CSV UTF-8'),
    ]);
  });

  it('rejects UTF-16 without a BOM, asking for CSV UTF-8', () => {
    const error = rejection(() => sniff('utf16le-no-bom.csv'));
    expect([error.code, error.message]).toEqual([
      'unsupported_encoding',
      expect.stringContaining('CSV UTF-8'),
    ]);
  });
});

describe('sniffLayout: delimiters', () => {
  it.each([
    ['utf8.csv', ','],
    ['semicolon.csv', ';'],
    ['tab.csv', '\t'],
    ['pipe.csv', '|'],
  ])('detects the delimiter of %s', (name, delimiter) => {
    expect(sniff(name).delimiter).toBe(delimiter);
  });

  it('picks semicolons even when decimal commas appear in every data row', () => {
    expect(sniff('semicolon.csv').samples[0]).toEqual(['Jürgen', 'Weiß', 'juergen@example.de', '1,5']);
  });

  it('ignores delimiters inside quoted fields', () => {
    expect(sniff('semicolon-quoted-commas.csv')).toMatchObject({
      delimiter: ';',
      headers: ['Name', 'Address', 'Email'],
    });
  });

  it('reads quoted fields with delimiters, doubled quotes and line breaks into samples', () => {
    expect(sniff('quoted.csv').samples.slice(0, 2)).toEqual([
      ['Acme, Inc.', 'a@acme.com', 'He said "hi"'],
      ['Bob', 'bob@example.com', 'line one\nline two\nline three'],
    ]);
  });

  it('handles CRLF line ends', () => {
    expect(sniff('crlf.csv')).toMatchObject({
      delimiter: ',',
      headers: ['Name', 'Email', 'Notes'],
      headerLine: 1,
    });
  });

  it('treats a file without any delimiter as a single column', () => {
    expect(sniff('single-column.csv')).toMatchObject({
      headers: ['Email'],
      samples: [['ann@example.com'], ['bob@example.com']],
    });
  });
});

describe('sniffLayout: header and samples', () => {
  it.each([
    ['a.b@x.co', 'an address'],
    ['a@.x.co', 'an address whose domain starts with a dot'],
    ['a@x..co', 'an address with two dots'],
  ])('takes a first record holding %s (%s) for data, so the file has no header', (cell) => {
    expect(rejection(() => sniffBytes(Buffer.from(`Ana,${cell}\nBen,b@example.com\n`))).code).toBe(
      'no_header',
    );
  });

  it.each(['a@x.', 'a@.x', '@x.co', 'a@b@x.co'])('reads %s as a column name, not an address', (cell) => {
    expect(sniffBytes(Buffer.from(`Name,${cell}\nAna,a@example.com\n`)).headers).toEqual(['Name', cell]);
  });

  it('reads a header with a megabyte cell of dots between two @ in time linear in the cell', () => {
    const cpuMs = (dots: number): number => {
      const cell = `a@${'.'.repeat(dots)}@`;
      const started = process.cpuUsage();
      const layout = sniffBytes(Buffer.from(`Name,${cell}\nAna,a@example.com\n`));
      const used = process.cpuUsage(started);
      expect(layout.headers).toEqual(['Name', cell.slice(0, SNIFF_CELL_CHARS)]);
      return (used.user + used.system) / 1000;
    };
    cpuMs(1 << 16); // warm up
    const small = cpuMs(1 << 16);
    // Sixteen times the cell; the pattern this replaces needed hours for the megabyte. A wide margin
    // over linear, measured against the small cell in the same run, so a busy machine does not matter.
    expect(cpuMs(1 << 20)).toBeLessThan(small * 16 * 4 + 500);
  });

  it('skips title lines before the header', () => {
    expect(sniff('title-lines.csv')).toMatchObject({
      headerLine: 4,
      headers: ['First Name', 'Last Name', 'Email', 'Phone', 'Company'],
    });
  });

  it('does not take title lines as samples', () => {
    expect(sniff('title-lines.csv').samples.map((r) => r[0])).toEqual(['John', 'Jane']);
  });

  it('keeps repeated header names as separate columns', () => {
    expect(sniff('repeated-headers.csv').headers).toEqual(['Email', 'Name', 'Email']);
  });

  it('trims header cells', () => {
    expect(sniffBytes(Buffer.from(' Name , Email \nAnn,ann@example.com\n')).headers).toEqual([
      'Name',
      'Email',
    ]);
  });

  it('accepts a header without data rows', () => {
    expect(sniffBytes(Buffer.from('Name;Email\n'))).toMatchObject({
      delimiter: ';',
      headers: ['Name', 'Email'],
      samples: [],
    });
  });

  it('reads a few hundred data rows of the head, in order, for their values', () => {
    const rows = Array.from({ length: 400 }, (_, i) => `P${i},p${i}@example.com`).join('\n');
    const samples = sniffBytes(Buffer.from(`Name,Email\n${rows}\n`)).samples;
    expect(samples.length).toBeGreaterThanOrEqual(250);
    expect(samples.length).toBeLessThan(400);
    expect([samples[0]?.[0], samples[249]?.[0]]).toEqual(['P0', 'P249']);
  });

  it('leaves blank lines and all-empty records out of the samples', () => {
    expect(sniff('trailing-blank-lines.csv').samples).toEqual([
      ['Ann', 'ann@example.com'],
      ['Bob', 'bob@example.com'],
    ]);
  });

  it('passes ragged sample rows through as they are', () => {
    expect(sniff('ragged.csv').samples[0]).toEqual(['Ann', 'ann@example.com']);
  });

  it('rejects a file whose first row is data', () => {
    const error = rejection(() => sniff('no-header.csv'));
    expect([error.code, error.message]).toEqual(['no_header', expect.stringContaining('header row')]);
  });

  it('rejects a file in which every record is empty', () => {
    expect(rejection(() => sniffBytes(Buffer.from(',,,\n, ,\n'))).code).toBe('no_header');
  });
});

describe('sniffLayout: files that are not CSV', () => {
  it('rejects an empty file, pointing to the sample template', () => {
    const error = rejection(() => sniff('empty.csv'));
    expect([error.code, error.message]).toEqual(['empty_file', expect.stringContaining('intake template')]);
  });

  it('rejects a file of only whitespace as empty', () => {
    expect(rejection(() => sniff('whitespace-only.csv')).code).toBe('empty_file');
  });

  it('rejects an .xlsx workbook, asking to save it as CSV', () => {
    const error = rejection(() => sniff('xlsx-like.xlsx'));
    expect([error.code, error.message]).toEqual(['excel_file', expect.stringContaining('Save it as CSV')]);
  });

  it('rejects an .xls workbook, asking to save it as .xlsx or CSV', () => {
    const error = rejection(() => sniff('xls-like.xls'));
    expect([error.code, error.message]).toEqual([
      'excel_file',
      expect.stringContaining('save it as .xlsx or CSV'),
    ]);
  });

  it('tells a password-protected workbook (an OLE2 file holding EncryptedPackage) from an .xls', () => {
    const head = Buffer.concat([
      fixture('xls-like.xls').subarray(0, 8),
      Buffer.alloc(500),
      Buffer.from('EncryptedPackage', 'utf16le'),
    ]);
    const error = rejection(() => sniffBytes(head));
    expect([error.code, error.message]).toEqual([
      'encrypted_file',
      expect.stringContaining('password-protected'),
    ]);
  });

  it('rejects a PDF as binary', () => {
    expect(rejection(() => sniff('pdf-like.csv')).code).toBe('binary_file');
  });

  it('rejects a file with NUL bytes from the start as binary', () => {
    expect(rejection(() => sniff('binary.csv')).code).toBe('binary_file');
  });

  it('rejects text made mostly of control characters as binary', () => {
    const bytes = Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? 0x01 : 0x41)));
    expect(rejection(() => sniffBytes(bytes)).code).toBe('binary_file');
  });

  it('accepts a CSV whose binary tail starts after the header (readRows stops there)', () => {
    expect(sniff('binary-tail.csv')).toMatchObject({ headerLine: 1, headers: ['Name', 'Email'] });
  });
});

describe('sniffLayout: a head that is only a prefix of the file', () => {
  it('ignores a last record cut in the middle', () => {
    const head = Buffer.from('Name,Email\nAnn,ann@example.com\nBob,bob@exa');
    expect(sniffBytes(head, true).samples).toEqual([['Ann', 'ann@example.com']]);
  });

  it('ignores a last record cut inside an open quote', () => {
    const head = Buffer.from('Name,Notes\nAnn,plain\nBob,"first line\nsecond line\nthird');
    expect(sniffBytes(head, true)).toMatchObject({ headers: ['Name', 'Notes'], samples: [['Ann', 'plain']] });
  });

  it('ignores a UTF-8 character cut in two', () => {
    const whole = Buffer.from('Name,City\nAnn,Zürich\nBob,München\n');
    const head = whole.subarray(0, whole.indexOf('ü', 25) + 1);
    expect(sniffLayout(head, { utf8Valid: true, truncated: true }).samples).toEqual([['Ann', 'Zürich']]);
  });
});

describe('ByteInspector', () => {
  it('passes the bytes through unchanged and counts them', async () => {
    const bytes = fixture('quoted.csv');
    const { inspector, out } = await inspect([bytes.subarray(0, 10), bytes.subarray(10)]);
    expect([out.equals(bytes), inspector.bytes]).toEqual([true, bytes.length]);
  });

  it('keeps only the first headBytes bytes', async () => {
    const { inspector } = await inspect([Buffer.from('abcdef'), Buffer.from('ghij')], 8);
    expect(inspector.head.toString()).toBe('abcdefgh');
  });

  it('finds UTF-8 valid when multi-byte characters are split across chunks', async () => {
    const bytes = Buffer.from('Zoë,€,𝄞 and more\n');
    const { inspector } = await inspect([...bytes].map((b) => Buffer.from([b])));
    expect(inspector.utf8Valid).toBe(true);
  });

  it('finds Windows-1252 bytes not valid UTF-8', async () => {
    const { inspector } = await inspect([fixture('windows-1252.csv')]);
    expect(inspector.utf8Valid).toBe(false);
  });

  it('finds a stream ending inside a multi-byte character not valid UTF-8', async () => {
    const { inspector } = await inspect([Buffer.from('ok,'), Buffer.from([0xe2, 0x82])]);
    expect(inspector.utf8Valid).toBe(false);
  });

  it('finds an invalid continuation after a chunk boundary not valid UTF-8', async () => {
    const { inspector } = await inspect([Buffer.from([0x61, 0xe2]), Buffer.from([0x41, 0x42, 0x43])]);
    expect(inspector.utf8Valid).toBe(false);
  });
});

describe('a head of hostile cells', () => {
  it('keeps SNIFF_CELL_CHARS of a header or sample cell, whatever its length', () => {
    const long = `Name${'n'.repeat(100_000)}`;
    const layout = sniffBytes(Buffer.from(`${long},Email\nAna,${'a'.repeat(50_000)}@example.com\n`));
    expect(layout.headers).toEqual([long.slice(0, SNIFF_CELL_CHARS), 'Email']);
    expect(layout.samples[0]?.map((c) => c.length)).toEqual([3, SNIFF_CELL_CHARS]);
  });

  it('reads a header cell built to make an e-mail pattern backtrack as a name', () => {
    const cell = `a@${'.'.repeat(120_000)}@`;
    expect(sniffBytes(Buffer.from(`${cell},Email\nAna,ana@example.com\n`)).headers[0]).toHaveLength(
      SNIFF_CELL_CHARS,
    );
  });
});
