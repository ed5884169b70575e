import { crc32, deflateRawSync } from 'node:zlib';

/** A ZIP entry: its name, its content, and whether it is stored as is (the default) or deflated. */
export type ZipPart = [name: string, content: string | Buffer, how?: 'stored' | 'deflated'];

/**
 * A ZIP as the format describes it, written by hand so that a test can make what no spreadsheet
 * program writes: parts that unpack far past their size, sheets that share a part.
 */
export function zipOf(entries: readonly ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content, how = 'stored'] of entries) {
    const raw = Buffer.from(content);
    const data = how === 'deflated' ? deflateRawSync(raw, { level: 9 }) : raw;
    const method = how === 'deflated' ? 8 : 0;
    const fileName = Buffer.from(name);
    const crc = crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += 30 + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
/** The start of a sheet part, up to its first row. */
export const SHEET_OPEN = `<worksheet ${MAIN}><sheetData>`;
export const SHEET_CLOSE = '</sheetData></worksheet>';

export interface RawSheet {
  name: string;
  /** The part the sheet points at, under `xl/` (sheets may share one). */
  target: string;
}

/**
 * A workbook from raw parts: its sheets (each pointing at a part of `parts`, by `target`), its
 * shared strings, deflated; what a hostile file can be and a spreadsheet program never writes.
 */
export function rawWorkbook(opts: {
  sheets: readonly RawSheet[];
  parts: Readonly<Record<string, string | Buffer>>;
  sharedStrings?: readonly string[];
}): Buffer {
  const sheets = opts.sheets
    .map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join('');
  const rels = opts.sheets.map((s, i) => `<Relationship Id="rId${i + 1}" Target="${s.target}"/>`).join('');
  const entries: ZipPart[] = [
    ['xl/workbook.xml', `<workbook ${MAIN} xmlns:r="r"><sheets>${sheets}</sheets></workbook>`],
    ['xl/_rels/workbook.xml.rels', `<Relationships>${rels}</Relationships>`],
    ...Object.entries(opts.parts).map(([name, content]): ZipPart => [`xl/${name}`, content, 'deflated']),
  ];
  if (opts.sharedStrings) {
    const items = opts.sharedStrings.map((t) => `<si><t>${t}</t></si>`).join('');
    entries.push(['xl/sharedStrings.xml', `<sst ${MAIN}>${items}</sst>`, 'deflated']);
  }
  return zipOf(entries);
}

/** A row of cells that each show shared string `index`. */
export function sharedRow(row: number, columns: number, index = 0): string {
  const cells = Array.from(
    { length: columns },
    (_, i) => `<c r="${String.fromCharCode(65 + i)}${row}" t="s"><v>${index}</v></c>`,
  );
  return `<row r="${row}">${cells.join('')}</row>`;
}
