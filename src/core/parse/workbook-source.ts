import type { Readable } from 'node:stream';
import { IntakeError, isIntakeError } from '../intake-error';
import {
  FileLayout,
  HEAD_CHARS,
  SNIFF_CELL_CHARS,
  SNIFF_RECORDS,
  SniffedRecord,
  tableOf,
} from './file-sniffer';
import { DEFAULT_ROW_LIMITS, RowLimits } from './record-guard';
import { isBlankRecord, SourceRow, sizeOf } from './row-source';
import { SharedStrings } from './shared-strings';
import { MergeFiller, MergeScanner } from './merged-cells';
import { readSheetRows, SheetCaps, SheetContext } from './sheet-reader';
import {
  partPath,
  readCellStyles,
  readRelationships,
  readSharedStrings,
  readWorkbookInfo,
  SheetEntry,
} from './workbook-parts';
import { ByteSource, damaged, openEntry, readZipDirectory, ZipEntry } from './zip-reader';

/** What one workbook may cost before it is refused: the defence against ZIP bombs. */
export interface WorkbookLimits {
  /** Bytes a sheet's XML may unpack to; also the sheets read to find the table, together. */
  readonly maxSheetBytes: number;
  /** Bytes the shared-strings table may unpack to (it is held in memory while a sheet is read). */
  readonly maxSharedStringsBytes: number;
}

export const DEFAULT_WORKBOOK_LIMITS: WorkbookLimits = {
  maxSheetBytes: 1024 * 1024 * 1024,
  maxSharedStringsBytes: 128 * 1024 * 1024,
};

/** Sheets looked at for data by default, and sheet names kept with an import: work and size bounds. */
const MAX_SHEETS_SCANNED = 50;
const MAX_SHEETS_LISTED = 500;

/** Workbook.xml, relationships and styles: a few KB in any real workbook. */
const MAX_SMALL_PART_BYTES = 16 * 1024 * 1024;

interface OpenWorkbook {
  src: ByteSource;
  entries: Map<string, ZipEntry>;
  sheets: SheetEntry[];
  ctx: SheetContext;
}

function tooLarge(what: string, max: number, advice: string): () => IntakeError {
  return () =>
    new IntakeError(
      'workbook_too_large',
      `This workbook's ${what} unpacks to more than ${sizeOf(max)}, Intake's limit. ${advice}`,
      { limitBytes: max },
    );
}

const SPLIT = 'Split it into smaller workbooks, or save the sheet as CSV, and send it again.';

function part(book: Pick<OpenWorkbook, 'src' | 'entries'>, name: string, max: number): Readable | null {
  const entry = book.entries.get(name);
  return entry ? openEntry(book.src, entry, max, tooLarge(name, max, SPLIT)) : null;
}

/**
 * Refuses sheets that share a part: no spreadsheet program writes them, and each would be unpacked and
 * read again, so a small file could make Intake unpack one part many times over.
 */
function refuseSharedParts(sheets: readonly SheetEntry[]): void {
  const seen = new Map<string, string>();
  for (const sheet of sheets) {
    const first = seen.get(sheet.part);
    if (first !== undefined)
      throw damaged(
        `its sheets "${first.slice(0, 100)}" and "${sheet.name.slice(0, 100)}" are one and the same part`,
      );
    seen.set(sheet.part, sheet.name);
  }
}

function notAWorkbook(): IntakeError {
  return new IntakeError(
    'binary_file',
    'This is a ZIP file but not an Excel workbook (.xlsx). If it is a spreadsheet in another format (OpenDocument .ods, Numbers), save it as .xlsx or CSV and send it again.',
  );
}

/**
 * The workbook's main part: `xl/workbook.xml` as most writers put it, else the package's office document
 * as its root relationships (`_rels/.rels`) name it.
 */
async function workbookPart(book: Pick<OpenWorkbook, 'src' | 'entries'>): Promise<string | null> {
  if (book.entries.has('xl/workbook.xml')) return 'xl/workbook.xml';
  const rels = part(book, '_rels/.rels', MAX_SMALL_PART_BYTES);
  if (!rels) return null;
  const main = (await readRelationships(rels)).find((r) => r.kind === 'officeDocument');
  const name = main ? partPath(main.target, '') : null;
  return name && book.entries.has(name) ? name : null;
}

/** Reads the workbook's table of contents, sheet list, cell styles and shared strings. */
async function openWorkbook(src: ByteSource, limits: WorkbookLimits): Promise<OpenWorkbook> {
  const entries = await readZipDirectory(src);
  const base = { src, entries };
  const found = await workbookPart(base);
  const workbook = found ? part(base, found, MAX_SMALL_PART_BYTES) : null;
  if (!found || !workbook) throw notAWorkbook();
  const slash = found.lastIndexOf('/');
  const dir = slash < 0 ? '' : found.slice(0, slash);
  const relsName = `${dir ? `${dir}/` : ''}_rels/${found.slice(slash + 1)}.rels`;
  const info = await readWorkbookInfo(workbook, part(base, relsName, MAX_SMALL_PART_BYTES), dir);
  // Another Office document (a .docx, a .pptx) names its main part the same way, and lists no sheets.
  if (found !== 'xl/workbook.xml' && info.sheets.length === 0) throw notAWorkbook();
  refuseSharedParts(info.sheets);
  const styles = part(base, info.styles ?? 'xl/styles.xml', MAX_SMALL_PART_BYTES);
  const strings = entries.get(info.sharedStrings ?? 'xl/sharedStrings.xml');
  const stringsLimit = limits.maxSharedStringsBytes;
  const sharedStrings = strings
    ? await readSharedStrings(
        openEntry(src, strings, stringsLimit, tooLarge('table of shared text', stringsLimit, SPLIT)),
      )
    : new SharedStrings();
  return {
    ...base,
    sheets: info.sheets,
    ctx: { sharedStrings, styles: styles ? await readCellStyles(styles) : [], date1904: info.date1904 },
  };
}

function sheetBytes(book: OpenWorkbook, sheet: SheetEntry, limits: WorkbookLimits): Readable {
  const entry = book.entries.get(sheet.part);
  if (!entry) throw damaged(`its sheet "${sheet.name}" is missing`);
  return openEntry(
    book.src,
    entry,
    limits.maxSheetBytes,
    tooLarge(`sheet "${sheet.name}"`, limits.maxSheetBytes, SPLIT),
  );
}

/** The sheet a person named, by name (any case) or by its number in the workbook (1 is the first). */
function namedSheet(sheets: readonly SheetEntry[], wanted: string): SheetEntry {
  const key = wanted.trim().toLowerCase();
  const byName = sheets.find((s) => s.name.trim().toLowerCase() === key);
  const byNumber = /^\d+$/.test(key) ? sheets[Number(key) - 1] : undefined;
  const found = byName ?? byNumber;
  if (found) return found;
  const shown = sheets.slice(0, 20).map((s) => `"${s.name}"`);
  if (sheets.length > shown.length) shown.push(`and ${sheets.length - shown.length} more`);
  throw new IntakeError(
    'unknown_sheet',
    `This workbook has no sheet "${wanted.trim().slice(0, 100)}". Its sheets are ${shown.join(', ')}; name one of them, or give its number (1 is the first).`,
    { sheets: sheets.slice(0, MAX_SHEETS_LISTED).map((s) => s.name) },
  );
}

/**
 * The sheet's first non-blank rows, as a CSV's head: each cell cut to SNIFF_CELL_CHARS and all of them
 * within HEAD_CHARS, whatever the cells (a shared text of megabytes repeated in every row included).
 */
async function headRecords(
  book: OpenWorkbook,
  sheet: SheetEntry,
  maxCells: number,
  limits: WorkbookLimits,
  merges: readonly string[],
) {
  const records: SniffedRecord[] = [];
  const merged = new MergeFiller(merges);
  // One character more than a head keeps, so that the table's reading knows a cell was longer.
  const caps: SheetCaps = { maxCells, maxChars: HEAD_CHARS, maxCellChars: SNIFF_CELL_CHARS + 1 };
  let left = HEAD_CHARS;
  for await (const row of readSheetRows(sheetBytes(book, sheet, limits), book.ctx, caps)) {
    merged.apply(row, isBlankRecord(row.cells));
    if (isBlankRecord(row.cells)) continue;
    records.push({ line: row.row, cells: row.cells });
    left -= row.cells.reduce((sum, c) => sum + c.length, 0);
    if (records.length >= SNIFF_RECORDS || left <= 0) break;
  }
  return records;
}

/** Bytes of sheets unpacked for one reading of a workbook: all its sheets together stay within one sheet's limit. */
class UnpackBudget {
  private used = 0;

  constructor(private readonly max: number) {}

  take(bytes: number): void {
    this.used += bytes;
    if (this.used > this.max)
      throw new IntakeError(
        'workbook_too_large',
        `This workbook's sheets before the table unpack to more than ${sizeOf(this.max)} together, Intake's limit. Move the table to the first sheet, or name its sheet, and send it again.`,
        { limitBytes: this.max },
      );
  }
}

/**
 * A chunk's ASCII (all a merge tag holds) whatever the part's encoding: a UTF-16 part's zero bytes taken
 * out, so its tags read as in UTF-8. A chunk split inside a character only shifts where the zeros fall.
 */
function asciiOf(chunk: Buffer): string {
  const text = chunk.toString('latin1');
  return text.includes('\0') ? text.replaceAll('\0', '') : text;
}

/**
 * Unpacks the whole sheet, counting (a ZIP bomb is refused at upload, before any row is written), and
 * finds its merged areas on the way, which are stored after its rows.
 */
async function measure(
  book: OpenWorkbook,
  sheet: SheetEntry,
  limits: WorkbookLimits,
  budget: UnpackBudget,
): Promise<string[]> {
  const merges = new MergeScanner();
  for await (const chunk of sheetBytes(book, sheet, limits)) {
    budget.take((chunk as Buffer).length);
    merges.scan(asciiOf(chunk as Buffer));
  }
  return merges.refs;
}

export interface WorkbookSniffOptions {
  /** A sheet's name or number; by default the first visible sheet holding data. */
  sheet?: string;
  /** Cells kept per row while sniffing: a header wider than the column limit needs only one more. */
  maxCells: number;
  limits?: WorkbookLimits;
}

/** Finds the sheet to read and its header, title rows and sample rows, as sniffLayout does for a CSV. */
export async function sniffWorkbook(src: ByteSource, opts: WorkbookSniffOptions): Promise<FileLayout> {
  const limits = opts.limits ?? DEFAULT_WORKBOOK_LIMITS;
  const book = await openWorkbook(src, limits);
  if (book.sheets.length === 0) throw damaged('it lists no sheets');
  const candidates = opts.sheet
    ? [namedSheet(book.sheets, opts.sheet)]
    : book.sheets.filter((s) => !s.hidden).slice(0, MAX_SHEETS_SCANNED);
  const budget = new UnpackBudget(limits.maxSheetBytes);
  for (const sheet of candidates) {
    const merges = await measure(book, sheet, limits, budget);
    const records = await headRecords(book, sheet, opts.maxCells, limits, merges);
    if (records.length === 0) continue;
    const table = tableOf(records);
    const sheets = book.sheets.slice(0, MAX_SHEETS_LISTED).map((s) => s.name);
    return {
      encoding: 'utf-8',
      bom: false,
      delimiter: ',',
      ...table,
      workbook: { sheet: sheet.name, part: sheet.part, sheets, ...(merges.length ? { merges } : {}) },
    };
  }
  throw new IntakeError(
    'empty_file',
    opts.sheet
      ? `The sheet "${candidates[0]?.name}" holds no data. Choose a sheet that holds the table, or put the data in this one and send it again.`
      : `No visible sheet of this workbook holds data${book.sheets.length > MAX_SHEETS_SCANNED ? ` (of the first ${MAX_SHEETS_SCANNED} looked at)` : ''}. Put the table (a header row, then one row per record) in the first sheet, or name the sheet to read, and send it again.`,
  );
}

/** A failure that is the workbook's fault (damaged, a ZIP bomb), not the storage's. */
function describeFailure(e: unknown): IntakeError | null {
  if (isIntakeError(e)) return e;
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) return damaged('a compressed part is damaged');
  return null;
}

/**
 * Streams the data rows of the workbook's sheet chosen at sniffing, numbered as the sheet's rows, like
 * readRows does for a CSV: blank rows left out, a row over `limits` as `oversize`, a damaged or
 * over-large workbook as one final error item. Storage errors are thrown to the caller.
 */
export async function* readWorkbookRows(
  src: ByteSource,
  layout: FileLayout,
  limits: RowLimits = DEFAULT_ROW_LIMITS,
  bookLimits: WorkbookLimits = DEFAULT_WORKBOOK_LIMITS,
): AsyncGenerator<SourceRow> {
  const chosen = layout.workbook;
  if (!chosen) throw new Error('readWorkbookRows needs a workbook layout');
  const width = layout.headers.length;
  const caps = { maxCells: width + limits.maxExtraCells, maxChars: limits.maxRecordBytes };
  let last = layout.headerLine;
  try {
    const book = await openWorkbook(src, bookLimits);
    const sheet = { name: chosen.sheet, part: chosen.part, hidden: false };
    const merged = new MergeFiller(chosen.merges ?? []);
    for await (const r of readSheetRows(sheetBytes(book, sheet, bookLimits), book.ctx, caps)) {
      merged.apply(r, isBlankRecord(r.cells));
      if (r.row <= layout.headerLine) continue;
      last = r.row;
      const cut = r.droppedCells > 0 || r.droppedChars > 0;
      if (!cut && isBlankRecord(r.cells)) continue;
      if (!cut) {
        yield { kind: 'row', row: r.row, cells: r.cells };
        continue;
      }
      const reason =
        r.droppedCells > 0
          ? `row ${r.row} has ${r.cells.filter((c) => c !== '').length + r.droppedCells} filled cells; the header has ${width} columns`
          : `row ${r.row} is longer than ${sizeOf(limits.maxRecordBytes)}`;
      yield { kind: 'oversize', row: r.row, cells: r.cells, reason };
    }
  } catch (e) {
    const failure = describeFailure(e);
    if (!failure) throw e;
    yield {
      kind: 'error',
      row: last + 1,
      code: 'malformed',
      message: `${failure.message} The rows before row ${last + 1} were read.`,
    };
  }
}
