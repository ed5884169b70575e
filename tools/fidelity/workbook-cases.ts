import ExcelJS from 'exceljs';
import type { readWorkbookRows, sniffWorkbook } from '../../src/core/parse/workbook-source';
import type { bufferSource } from '../../src/core/parse/zip-reader';
import { zipOf, ZipPart } from '../../test/support/raw-zip';

/**
 * Workbooks the project makes itself, each shaped as one producer writes a structure (Excel, Excel
 * Mobile, Google Sheets, LibreOffice, generators writing the XML by hand), with the text every cell
 * shows in Excel. Read cell for cell, they are the differential test of the workbook reader.
 */
export interface WorkbookCase {
  name: string;
  bytes: () => Promise<Buffer>;
  /** The header row, then each data row, as Excel shows them. */
  expected: string[][];
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';

export interface Parts {
  /** The sheet's rows, as `<row>` elements. */
  rows: string;
  strings?: readonly string[];
  /** `<numFmts>` and `<cellXfs>` of xl/styles.xml. */
  styles?: string;
  sheetState?: string;
  /** Merged areas, as "A2:A3". */
  merges?: readonly string[];
  /** How every XML part is encoded. */
  encoding?: 'utf8' | 'utf16le' | 'utf16be';
  /** Where the workbook lives; anywhere but xl/workbook.xml is found through _rels/.rels only. */
  layout?: 'standard' | 'elsewhere';
}

function encode(xml: string, how: Parts['encoding']): Buffer {
  if (how === 'utf16le') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
  if (how === 'utf16be')
    return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(xml, 'utf16le').swap16()]);
  return Buffer.from(xml, 'utf8');
}

function mergeCells(refs: readonly string[] | undefined): string {
  if (!refs?.length) return '';
  return `<mergeCells count="${refs.length}">${refs.map((r) => `<mergeCell ref="${r}"/>`).join('')}</mergeCells>`;
}

/** A one-sheet workbook written part by part. */
export function rawBook(p: Parts): Buffer {
  const decl = `<?xml version="1.0" encoding="${p.encoding && p.encoding !== 'utf8' ? 'UTF-16' : 'UTF-8'}"?>`;
  const xml = (body: string) => encode(decl + body, p.encoding);
  const dir = p.layout === 'elsewhere' ? 'book' : 'xl';
  const main = p.layout === 'elsewhere' ? 'book/contents.xml' : 'xl/workbook.xml';
  const state = p.sheetState ? ` state="${p.sheetState}"` : '';
  const rels = [
    `<Relationship Id="rId1" Type="${REL}/worksheet" Target="sheets/first.xml"/>`,
    p.strings ? `<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="text.xml"/>` : '',
    p.styles ? `<Relationship Id="rId3" Type="${REL}/styles" Target="looks.xml"/>` : '',
  ].join('');
  const parts: ZipPart[] = [
    [
      '_rels/.rels',
      xml(
        `<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="${main}"/></Relationships>`,
      ),
    ],
    [
      main,
      xml(
        `<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="Clients" sheetId="1"${state} r:id="rId1"/></sheets></workbook>`,
      ),
    ],
    [
      `${dir}/_rels/${main.slice(dir.length + 1)}.rels`,
      xml(`<Relationships xmlns="${PKG}">${rels}</Relationships>`),
    ],
    [
      `${dir}/sheets/first.xml`,
      xml(`<worksheet xmlns="${MAIN}"><sheetData>${p.rows}</sheetData>${mergeCells(p.merges)}</worksheet>`),
      'deflated',
    ],
  ];
  if (p.strings) {
    const items = p.strings.map((t) => `<si><t xml:space="preserve">${t}</t></si>`).join('');
    parts.push([`${dir}/text.xml`, xml(`<sst xmlns="${MAIN}">${items}</sst>`)]);
  }
  if (p.styles) parts.push([`${dir}/looks.xml`, xml(`<styleSheet xmlns="${MAIN}">${p.styles}</styleSheet>`)]);
  return zipOf(parts);
}

/** `<c>` elements from compact specs: ['s', 0] a shared string, ['n', '12'], ['inline', 'x'], raw XML as is. */
const row = (r: number, cells: string) => `<row r="${r}">${cells}</row>`;
const shared = (ref: string, i: number) => `<c r="${ref}" t="s"><v>${i}</v></c>`;
const HEADER_STRINGS = ['Name', 'Email', 'Notes'];
const header = row(1, shared('A1', 0) + shared('B1', 1) + shared('C1', 2));

export const WORKBOOK_CASES: readonly WorkbookCase[] = [
  {
    name: 'Excel: strings, numbers, a date, a percent, rich text and a formula (exceljs)',
    expected: [
      ['Name', 'Phone', 'Since', 'Share', 'Total'],
      ['Ana García', '14155550123', '2024-03-05', '12.5%', '42'],
      ['Bo', '0', '2023-12-31', '37.5%', '7'],
    ],
    bytes: async () => {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('Clients');
      sheet.addRow(['Name', 'Phone', 'Since', 'Share', 'Total']);
      sheet.addRow([
        'Ana García',
        14155550123,
        new Date(Date.UTC(2024, 2, 5)),
        0.125,
        { formula: '40+2', result: 42 },
      ]);
      sheet.addRow([
        { richText: [{ text: 'B' }, { text: 'o', font: { bold: true } }] },
        0,
        new Date(Date.UTC(2023, 11, 31)),
        0.375,
        { formula: '3+4', result: 7 },
      ]);
      sheet.getColumn(3).numFmt = 'yyyy-mm-dd';
      sheet.getColumn(4).numFmt = '0.0%';
      return Buffer.from(await book.xlsx.writeBuffer());
    },
  },
  {
    name: 'empty shared-string cells (<c t="s"/>, <v/>, <v></v>) are empty',
    expected: [HEADER_STRINGS, ['Ana', '', ''], ['', 'bo@example.com', '']],
    bytes: async () =>
      rawBook({
        strings: [...HEADER_STRINGS, 'Ana', 'bo@example.com'],
        rows:
          header +
          row(2, shared('A2', 3) + '<c r="B2" t="s"/>' + '<c r="C2" t="s"><v/></c>') +
          row(3, '<c r="A3" t="s"><v></v></c>' + shared('B3', 4)),
      }),
  },
  {
    name: 'Excel escapes _xHHHH_ in shared and inline strings; _x005F_ is an underscore',
    expected: [HEADER_STRINGS, ['ABC\rDEF', 'a_x000D_b', 'snake_case'], ['Tab\there', 'été', 'x_y']],
    bytes: async () =>
      rawBook({
        strings: [...HEADER_STRINGS, 'ABC_x000D_DEF', 'a_x005F_x000D_b', 'snake_x005F_case'],
        rows:
          header +
          row(2, shared('A2', 3) + shared('B2', 4) + shared('C2', 5)) +
          row(
            3,
            '<c r="A3" t="inlineStr"><is><t>Tab_x0009_here</t></is></c>' +
              '<c r="B3" t="inlineStr"><is><t>_x00E9_t_x00e9_</t></is></c>' +
              '<c r="C3" t="str"><f>A1</f><v>x_x005F_y</v></c>',
          ),
      }),
  },
  {
    name: 'elapsed-time formats ([hh]:mm:ss, [h]:mm, [mm]:ss, built-in 46) are durations, not dates',
    expected: [HEADER_STRINGS, ['255:10:10', '36:30', '61:00'], ['48:00:00', '', '']],
    bytes: async () =>
      rawBook({
        strings: HEADER_STRINGS,
        styles:
          '<numFmts count="3"><numFmt numFmtId="164" formatCode="[hh]:mm:ss"/><numFmt numFmtId="165" formatCode="[h]:mm"/>' +
          '<numFmt numFmtId="166" formatCode="[mm]:ss"/></numFmts><cellXfs count="5"><xf numFmtId="0"/>' +
          '<xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="46"/></cellXfs>',
        rows:
          header +
          row(
            2,
            '<c r="A2" s="1"><v>10.6320601851852</v></c><c r="B2" s="2"><v>1.5208333333333333</v></c>' +
              '<c r="C2" s="3"><v>0.042361111111111</v></c>',
          ) +
          row(3, '<c r="A3" s="4"><v>2</v></c>'),
      }),
  },
  {
    name: 'inline strings in CDATA, and inline strings that also carry <v>',
    expected: [HEADER_STRINGS, ['Ana & Bo <VIP>', 'ana@example.com', 'once']],
    bytes: async () =>
      rawBook({
        strings: HEADER_STRINGS,
        rows:
          header +
          row(
            2,
            '<c r="A2" t="inlineStr"><is><t><![CDATA[Ana & Bo <VIP>]]></t></is></c>' +
              '<c r="B2" t="inlineStr"><is><t><![CDATA[ana@]]>example.com</t></is></c>' +
              '<c r="C2" t="inlineStr"><is><t>once</t></is><v>once</v></c>',
          ),
      }),
  },
  ...(['utf16le', 'utf16be'] as const).map((encoding): WorkbookCase => ({
    name: `every XML part in ${encoding === 'utf16le' ? 'UTF-16 LE' : 'UTF-16 BE'} (Excel Mobile)`,
    expected: [HEADER_STRINGS, ['Zoë Ørsted', 'zoe@example.com', '東京']],
    bytes: async () =>
      rawBook({
        encoding,
        strings: [...HEADER_STRINGS, 'Zoë Ørsted', 'zoe@example.com'],
        rows:
          header +
          row(2, shared('A2', 3) + shared('B2', 4) + '<c r="C2" t="inlineStr"><is><t>東京</t></is></c>'),
      }),
  })),
  {
    name: 'a UTF-16 sheet with a company merged down its rows',
    expected: [HEADER_STRINGS, ['Acme', 'ana@acme.example', ''], ['Acme', 'bo@acme.example', '']],
    bytes: async () =>
      rawBook({
        encoding: 'utf16le',
        merges: ['A2:A3'],
        strings: [...HEADER_STRINGS, 'Acme', 'ana@acme.example', 'bo@acme.example'],
        rows: header + row(2, shared('A2', 3) + shared('B2', 4)) + row(3, shared('B3', 5)),
      }),
  },
  {
    name: 'a workbook found through _rels/.rels, not at xl/workbook.xml',
    expected: [HEADER_STRINGS, ['Ana', 'ana@example.com', 'VIP']],
    bytes: async () =>
      rawBook({
        layout: 'elsewhere',
        strings: [...HEADER_STRINGS, 'Ana', 'ana@example.com', 'VIP'],
        rows: header + row(2, shared('A2', 3) + shared('B2', 4) + shared('C2', 5)),
      }),
  },
  {
    name: 'a sheet marked state="show" is visible',
    expected: [HEADER_STRINGS, ['Ana', 'ana@example.com', 'VIP']],
    bytes: async () =>
      rawBook({
        sheetState: 'show',
        strings: [...HEADER_STRINGS, 'Ana', 'ana@example.com', 'VIP'],
        rows: header + row(2, shared('A2', 3) + shared('B2', 4) + shared('C2', 5)),
      }),
  },
];

/** Every cell of the workbook's chosen sheet, header first, as Intake reads them; null when it is refused. */
export async function readGrid(
  bytes: Buffer,
  read: {
    sniffWorkbook: typeof sniffWorkbook;
    readWorkbookRows: typeof readWorkbookRows;
    bufferSource: typeof bufferSource;
  },
): Promise<string[][] | null> {
  try {
    const layout = await read.sniffWorkbook(read.bufferSource(bytes), { maxCells: 101 });
    const grid = [layout.headers];
    for await (const r of read.readWorkbookRows(read.bufferSource(bytes), layout)) {
      if (r.kind === 'error') return grid;
      grid.push(r.cells);
    }
    return grid;
  } catch {
    return null;
  }
}

/** How many cells of `got` show what `expected` says, of how many expected (a refused workbook reads none). */
export function agreeingCells(
  expected: readonly string[][],
  got: readonly string[][] | null,
): [number, number] {
  let total = 0;
  let same = 0;
  expected.forEach((want, r) =>
    want.forEach((cell, c) => {
      total++;
      if (got && (got[r]?.[c] ?? '') === cell) same++;
    }),
  );
  return [same, total];
}
