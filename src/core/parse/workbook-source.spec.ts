import ExcelJS from 'exceljs';
import { IntakeError } from '../intake-error';
import { FileLayout, HEAD_CHARS, SNIFF_CELL_CHARS } from './file-sniffer';
import type { SourceRow } from './row-source';
import { readWorkbookRows, sniffWorkbook, WorkbookLimits } from './workbook-source';
import { bufferSource } from './zip-reader';
import {
  rawWorkbook,
  SHEET_CLOSE,
  SHEET_OPEN,
  sharedRow,
  zipOf as storedZip,
} from '../../../test/support/raw-zip';

async function bytesOf(book: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await book.xlsx.writeBuffer());
}

function sniff(bytes: Buffer, sheet?: string, limits?: WorkbookLimits): Promise<FileLayout> {
  return sniffWorkbook(bufferSource(bytes), { sheet, maxCells: 101, limits });
}

async function rowsOf(bytes: Buffer, layout: FileLayout, limits?: WorkbookLimits): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for await (const r of readWorkbookRows(bufferSource(bytes), layout, undefined, limits)) rows.push(r);
  return rows;
}

async function rejection(run: () => Promise<unknown>): Promise<IntakeError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof IntakeError) return e;
    throw e;
  }
  throw new Error('expected an IntakeError');
}

/** Two sheets: an empty "Notes" first, then "Clients" with a merged title row above the header. */
function clientsBook(date1904 = false): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  book.properties.date1904 = date1904;
  book.addWorksheet('Notes');
  const sheet = book.addWorksheet('Clients');
  sheet.getCell('A1').value = 'Client export';
  sheet.mergeCells('A1:E1');
  sheet.addRow(['Name', 'Email', 'Phone', 'Signed up', 'Score']);
  sheet.addRow(['Ana Lima', 'ana@example.com', 14155550123, new Date(Date.UTC(2024, 2, 5)), 0.1 + 0.2]);
  sheet.addRow([]);
  sheet.addRow([
    { richText: [{ text: 'Bo ' }, { text: 'Chen', font: { bold: true } }] },
    { text: 'bo@example.com', hyperlink: 'mailto:bo@example.com' },
    { formula: '4155550100+1', result: 4155550101 },
    { formula: 'DATE(2023,12,31)', result: new Date(Date.UTC(2023, 11, 31)) },
    12,
  ]);
  sheet.getColumn(4).numFmt = 'yyyy-mm-dd';
  sheet.getCell('D5').numFmt = 'yyyy-mm-dd';
  return book;
}

describe('sniffWorkbook', () => {
  it('reads the first visible sheet holding data, finding the header under a merged title row', async () => {
    const layout = await sniff(await bytesOf(clientsBook()));
    expect(layout.workbook).toEqual({
      sheet: 'Clients',
      part: expect.any(String),
      sheets: ['Notes', 'Clients'],
      merges: ['A1:E1'],
    });
    expect(layout.headerLine).toBe(2);
    expect(layout.headers).toEqual(['Name', 'Email', 'Phone', 'Signed up', 'Score']);
    expect(layout.samples[0]).toEqual(['Ana Lima', 'ana@example.com', '14155550123', '2024-03-05', '0.3']);
  });

  it('chooses a sheet by name or by number, and names the sheets when the choice matches none', async () => {
    const bytes = await bytesOf(clientsBook());
    expect((await sniff(bytes, 'clients')).workbook?.sheet).toBe('Clients');
    expect((await sniff(bytes, '2')).workbook?.sheet).toBe('Clients');
    const unknown = await rejection(() => sniff(bytes, 'Leads'));
    expect([unknown.code, unknown.message]).toEqual([
      'unknown_sheet',
      expect.stringContaining('"Notes", "Clients"'),
    ]);
    expect((await rejection(() => sniff(bytes, 'Notes'))).code).toBe('empty_file');
  });

  it('skips hidden sheets by default', async () => {
    const moved = new ExcelJS.Workbook();
    const first = moved.addWorksheet('Old', { state: 'hidden' });
    first.addRow(['Name', 'Email']);
    first.addRow(['Old Row', 'old@example.com']);
    moved.addWorksheet('Current').addRows([
      ['Name', 'Email'],
      ['New Row', 'new@example.com'],
    ]);
    expect((await sniff(await bytesOf(moved))).workbook?.sheet).toBe('Current');
  });

  it('refuses a workbook where no visible sheet holds data', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Empty');
    const error = await rejection(async () => sniff(await bytesOf(book)));
    expect([error.code, error.message]).toEqual(['empty_file', expect.stringContaining('No visible sheet')]);
  });

  it('refuses a sheet that unpacks past the limit before reading it (a ZIP bomb)', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Big');
    sheet.addRow(['Name', 'Email']);
    for (let i = 0; i < 2000; i++) sheet.addRow([`Person ${i}`, `p${i}@example.com`]);
    const limits = { maxSheetBytes: 20_000, maxSharedStringsBytes: 1024 * 1024 };
    const error = await rejection(async () => sniff(await bytesOf(book), undefined, limits));
    expect([error.code, error.message]).toEqual([
      'workbook_too_large',
      expect.stringContaining('unpacks to more than'),
    ]);
  });

  it('bounds the shared-strings table', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Names');
    sheet.addRow(['Name', 'Email']);
    for (let i = 0; i < 500; i++) sheet.addRow([`Person ${i}`, `p${i}@example.com`]);
    const limits = { maxSheetBytes: 1024 * 1024, maxSharedStringsBytes: 4096 };
    const error = await rejection(async () => sniff(await bytesOf(book), undefined, limits));
    expect([error.code, error.message]).toEqual([
      'workbook_too_large',
      expect.stringContaining('shared text'),
    ]);
  });
});

describe('readWorkbookRows', () => {
  it('yields cells as people see them, numbered as the sheet rows, blank rows left out', async () => {
    const bytes = await bytesOf(clientsBook());
    const rows = await rowsOf(bytes, await sniff(bytes));
    expect(rows).toEqual([
      { kind: 'row', row: 3, cells: ['Ana Lima', 'ana@example.com', '14155550123', '2024-03-05', '0.3'] },
      { kind: 'row', row: 5, cells: ['Bo Chen', 'bo@example.com', '4155550101', '2023-12-31', '12'] },
    ]);
  });

  it('reads a vertically merged cell on every row it covers, and a row blank but for it stays blank', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Contacts');
    sheet.addRows([
      ['Company', 'Name', 'Email'],
      ['Acme', 'Ana', 'ana@example.com'],
      [null, 'Bo', 'bo@example.com'],
      [null, null, null],
      ['Initech', 'Cy', 'cy@example.com'],
    ]);
    sheet.mergeCells('A2:A4');
    const bytes = await bytesOf(book);
    const rows = await rowsOf(bytes, await sniff(bytes));
    expect(rows).toEqual([
      { kind: 'row', row: 2, cells: ['Acme', 'Ana', 'ana@example.com'] },
      { kind: 'row', row: 3, cells: ['Acme', 'Bo', 'bo@example.com'] },
      { kind: 'row', row: 5, cells: ['Initech', 'Cy', 'cy@example.com'] },
    ]);
  });

  it('reads dates the same in the 1904 date system', async () => {
    const bytes = await bytesOf(clientsBook(true));
    const rows = await rowsOf(bytes, await sniff(bytes));
    expect(rows.map((r) => (r.kind === 'row' ? r.cells[3] : null))).toEqual(['2024-03-05', '2023-12-31']);
  });

  it('marks a row wider than the header allows as oversize and reads on', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Wide');
    sheet.addRow(['Name', 'Email']);
    sheet.getCell('BZ2').value = 'far away';
    sheet.getCell('A2').value = 'Ana';
    sheet.addRow(['Bo', 'bo@example.com']);
    const bytes = await bytesOf(book);
    const layout = await sniff(bytes);
    const rows = [];
    for await (const r of readWorkbookRows(bufferSource(bytes), layout, {
      maxExtraCells: 5,
      maxRecordBytes: 1000,
    }))
      rows.push(r);
    expect(rows.map((r) => [r.kind, r.row])).toEqual([
      ['oversize', 2],
      ['row', 3],
    ]);
  });

  it('ends with an error item when a sheet that lied about its size unpacks past the limit', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Grows');
    sheet.addRow(['Name', 'Email']);
    for (let i = 0; i < 2000; i++) sheet.addRow([`Person ${i}`, `p${i}@example.com`]);
    const bytes = understate(await bytesOf(book));
    const layout = await sniff(bytes);
    const limits = { maxSheetBytes: 40_000, maxSharedStringsBytes: 1024 * 1024 };
    const rows = await rowsOf(bytes, layout, limits);
    expect(rows[rows.length - 1]).toMatchObject({ kind: 'error', code: 'malformed' });
    expect(rows.length).toBeGreaterThan(100);
  });
});

/** Rewrites every declared uncompressed size in the ZIP's directory to 100 bytes, as a ZIP bomb would. */
function understate(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  for (let at = out.indexOf(CENTRAL); at >= 0; at = out.indexOf(CENTRAL, at + 4))
    out.writeUInt32LE(100, at + 24);
  return out;
}

const CENTRAL = Buffer.from([0x50, 0x4b, 0x01, 0x02]);

describe('hostile sheet XML', () => {
  /** A one-sheet workbook (stored, uncompressed) whose sheet part is `sheetXml`. */
  function withSheet(sheetXml: string | Buffer): Buffer {
    const main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    return storedZip([
      [
        'xl/workbook.xml',
        `<workbook ${main} xmlns:r="r"><sheets><sheet name="Names" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ],
      [
        'xl/_rels/workbook.xml.rels',
        '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
      ],
      ['xl/worksheets/sheet1.xml', sheetXml],
    ]);
  }

  it('refuses a Word file whose package names its main part, as it lists no sheets', async () => {
    const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument';
    const docx = storedZip([
      [
        '_rels/.rels',
        `<Relationships><Relationship Id="r1" Type="${rel}" Target="word/document.xml"/></Relationships>`,
      ],
      ['word/document.xml', '<document><body/></document>'],
    ]);
    expect((await rejection(() => sniff(docx))).code).toBe('binary_file');
  });

  const open = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';

  it('refuses a ZIP that holds no workbook (a Word file, an .ods), naming the formats to save as', async () => {
    const docx = storedZip([['word/document.xml', '<document/>']]);
    const error = await rejection(() => sniff(docx));
    expect([error.code, error.message]).toEqual([
      'binary_file',
      expect.stringContaining('save it as .xlsx or CSV'),
    ]);
  });

  it('shows a merge by its top-left value: values stored under the rest of it are not shown', async () => {
    const c = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
    const sheetXml =
      `${open}<row r="1">${c('A1', 'Name')}${c('B1', 'Email')}${c('C1', 'Note')}</row>` +
      `<row r="2">${c('A2', 'Ana')}${c('B2', 'ana@example.com')}${c('C2', 'VIP')}${c('D2', 'hidden')}</row>` +
      '</sheetData><mergeCells count="1"><mergeCell ref="C2:D2"/></mergeCells></worksheet>';
    const bytes = withSheet(sheetXml);
    const layout = await sniff(bytes);
    expect(layout.workbook?.merges).toEqual(['C2:D2']);
    expect(await rowsOf(bytes, layout)).toEqual([
      { kind: 'row', row: 2, cells: ['Ana', 'ana@example.com', 'VIP', ''] },
    ]);
  });

  it('refuses entities declared in a DTD (a billion-laughs bomb) as a damaged workbook', async () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' +
      `${open}<row r="1"><c r="A1" t="inlineStr"><is><t>&b;&b;&b;</t></is></c></row></sheetData></worksheet>`;
    const error = await rejection(async () => sniff(withSheet(bomb)));
    expect(error.code).toBe('unreadable_workbook');
  });

  it('refuses a cell of more than 16 MB of text without holding it', async () => {
    const huge = Buffer.concat([
      Buffer.from(`${open}<row r="1"><c r="A1" t="inlineStr"><is><t>`),
      Buffer.alloc(17 * 1024 * 1024, 'a'),
      Buffer.from('</t></is></c></row></sheetData></worksheet>'),
    ]);
    const error = await rejection(async () => sniff(withSheet(huge)));
    expect([error.code, error.message]).toEqual([
      'unreadable_workbook',
      expect.stringContaining('more than 16 MB'),
    ]);
  });

  it('refuses elements nested without end', async () => {
    const deep = `${open}${'<row>'.repeat(10_000)}`;
    const error = await rejection(async () => sniff(withSheet(deep)));
    expect([error.code, error.message]).toEqual(['unreadable_workbook', expect.stringContaining('nested')]);
  });
});

describe('a hostile workbook costs a bounded head', () => {
  const big = 'x'.repeat(2 * 1024 * 1024);

  it('keeps each head cell short and the head within HEAD_CHARS, a shared text of 2 MB in 300 rows', async () => {
    const rows = [sharedRow(1, 2, 1), ...Array.from({ length: 300 }, (_, i) => sharedRow(i + 2, 2, 0))];
    const bytes = rawWorkbook({
      sheets: [{ name: 'S', target: 'worksheets/sheet1.xml' }],
      parts: { 'worksheets/sheet1.xml': `${SHEET_OPEN}${rows.join('')}${SHEET_CLOSE}` },
      sharedStrings: [big, `Name${big}`],
    });
    expect(bytes.length).toBeLessThan(20_000);
    const layout = await sniff(bytes);
    expect(layout.headers).toEqual(['Name' + 'x'.repeat(SNIFF_CELL_CHARS - 4), expect.any(String)]);
    const cells = layout.samples.flat();
    expect(Math.max(...cells.map((c) => c.length))).toBe(SNIFF_CELL_CHARS);
    expect(cells.join('').length).toBeLessThanOrEqual(HEAD_CHARS);
  });

  it('refuses sheets that point at one part: no spreadsheet program writes them', async () => {
    const part = `${SHEET_OPEN}<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>${SHEET_CLOSE}`;
    const bytes = rawWorkbook({
      sheets: ['A', 'B', 'C'].map((name) => ({ name, target: 'worksheets/sheet1.xml' })),
      parts: { 'worksheets/sheet1.xml': part },
    });
    const error = await rejection(() => sniff(bytes));
    expect([error.code, error.message]).toEqual([
      'unreadable_workbook',
      expect.stringContaining('"A" and "B" are one and the same part'),
    ]);
  });

  it('counts the bytes of every sheet unpacked to find the table against one limit', async () => {
    const blank = `${SHEET_OPEN}${'<row r="1"/>'.repeat(10_000)}${SHEET_CLOSE}`;
    const names = ['One', 'Two', 'Three', 'Four', 'Five'];
    const bytes = rawWorkbook({
      sheets: names.map((name, i) => ({ name, target: `worksheets/sheet${i}.xml` })),
      parts: Object.fromEntries(names.map((_, i) => [`worksheets/sheet${i}.xml`, blank])),
    });
    const limits = { maxSheetBytes: Buffer.byteLength(blank) * 3, maxSharedStringsBytes: 1024 * 1024 };
    const error = await rejection(() => sniff(bytes, undefined, limits));
    expect([error.code, error.message]).toEqual([
      'workbook_too_large',
      expect.stringContaining('sheets before the table unpack to more than'),
    ]);
  });
});
