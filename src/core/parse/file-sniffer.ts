import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { isUtf8 } from 'node:buffer';
import { Transform, TransformCallback } from 'node:stream';
import { IntakeError } from '../intake-error';
import { csvOptions, isBlankRecord, LineCounter } from './row-source';
import { passwordProtected } from './zip-reader';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type Delimiter = ',' | ';' | '\t' | '|';

export interface FileLayout {
  encoding: Encoding;
  bom: boolean;
  delimiter: Delimiter;
  /** 1-based physical line of the file where the header record starts (title lines before it are skipped). */
  headerLine: number;
  /** Header cells, trimmed (repeated names stay separate columns). */
  headers: string[];
  /**
   * The head's non-blank data rows' cells (up to about 300, within the bytes sniffed), untrimmed like
   * readRows yields them: their values are evidence for the mapping. An import keeps only the first
   * STORED_SAMPLE_ROWS of them.
   */
  samples: string[][];
  /**
   * Set for an Excel workbook: the sheet read (its name and part in the ZIP) and every sheet's name in
   * workbook order. `headerLine` is then the header's row number in that sheet; encoding and
   * delimiter do not apply.
   */
  workbook?: WorkbookSheets;
}

export interface WorkbookSheets {
  sheet: string;
  part: string;
  sheets: string[];
  /** The sheet's merged areas ("B2:C4"), found when it was sniffed; absent when it has none. */
  merges?: string[];
}

const DEFAULT_HEAD_BYTES = 256 * 1024;
/** Sample rows an import keeps to show people and to suggest again after a type change. */
export const STORED_SAMPLE_ROWS = 20;
/** Records parsed per candidate delimiter: title lines, the header and the rows whose values are read. */
export const SNIFF_RECORDS = 300;
/**
 * Characters of a file's head read for its layout: a CSV's first 256 KB, a workbook's first rows up
 * to as many characters. What one upload (or one change of sheet) can make Intake hold and scan.
 */
export const HEAD_CHARS = 256 * 1024;
/**
 * Characters of a header or sample cell that its layout keeps: a column's name, and the values that
 * show what a column holds, are short. Every pattern that looks at a head's cells sees at most this.
 */
export const SNIFF_CELL_CHARS = 512;
const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];
const TEMPLATE_HINT = 'the sample template (`intake template clients`, `leads` or `companies`)';

// ---------------------------------------------------------------- byte inspection while uploading

/** Validates UTF-8 chunk by chunk with the native checker, carrying a sequence split across chunks. */
class Utf8Check {
  valid = true;
  private pending = Buffer.alloc(0);

  write(chunk: Buffer): void {
    if (!this.valid || chunk.length === 0) return;
    let rest = chunk;
    if (this.pending.length > 0) {
      const take = Math.min(sequenceLength(this.pending[0] ?? 0) - this.pending.length, chunk.length);
      const joined = Buffer.concat([this.pending, chunk.subarray(0, take)]);
      rest = chunk.subarray(take);
      this.pending = joined;
      if (joined.length < sequenceLength(joined[0] ?? 0)) return;
      this.valid = isUtf8(joined);
      this.pending = Buffer.alloc(0);
    }
    const cut = completeLength(rest);
    this.valid = this.valid && isUtf8(rest.subarray(0, cut));
    this.pending = Buffer.from(rest.subarray(cut));
  }

  end(): void {
    if (this.pending.length > 0) this.valid = false;
  }
}

function sequenceLength(lead: number): number {
  if ((lead & 0xe0) === 0xc0) return 2;
  if ((lead & 0xf0) === 0xe0) return 3;
  if ((lead & 0xf8) === 0xf0) return 4;
  return 1;
}

/** Length of the prefix that does not end inside a multi-byte sequence. */
function completeLength(buf: Buffer): number {
  const n = buf.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const byte = buf[n - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    return sequenceLength(byte) > back ? n - back : n;
  }
  return n;
}

/**
 * A pass-through Transform used while an upload streams into storage: counts bytes, keeps the first
 * `headBytes` bytes for sniffing and validates UTF-8 on the way, without buffering the file.
 */
export class ByteInspector extends Transform {
  private readonly kept: Buffer[] = [];
  private keptLength = 0;
  private joined: Buffer | undefined;
  private total = 0;
  private readonly utf8 = new Utf8Check();

  constructor(private readonly headBytes = DEFAULT_HEAD_BYTES) {
    super();
  }

  get head(): Buffer {
    this.joined ??= Buffer.concat(this.kept, this.keptLength);
    return this.joined;
  }

  get bytes(): number {
    return this.total;
  }

  /** Whether every byte so far is valid UTF-8 (final once the stream has ended). */
  get utf8Valid(): boolean {
    return this.utf8.valid;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.total += chunk.length;
    this.keep(chunk);
    this.utf8.write(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.utf8.end();
    done();
  }

  private keep(chunk: Buffer): void {
    const room = this.headBytes - this.keptLength;
    if (room <= 0) return;
    // A copy: some sources reuse their chunk buffers.
    const part = Buffer.from(chunk.subarray(0, room));
    this.kept.push(part);
    this.keptLength += part.length;
    this.joined = undefined;
  }
}

// ---------------------------------------------------------------- rejecting what is not a CSV

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const SIGNATURES: readonly { magic: number[]; what: string }[] = [
  { magic: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF document' },
  { magic: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { magic: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { magic: [0x1f, 0x8b], what: 'a compressed (gzip) file' },
];

function startsWith(head: Buffer, magic: readonly number[]): boolean {
  return head.length >= magic.length && magic.every((b, i) => head[i] === b);
}

/** A ZIP, which an Excel workbook (.xlsx, .xlsm) is: read as a workbook, not as text. */
export function isZipFile(head: Buffer): boolean {
  return startsWith(head, ZIP_MAGIC);
}

function binaryFile(what: string): IntakeError {
  return new IntakeError(
    'binary_file',
    `This is neither a CSV text file nor an Excel workbook (it looks like ${what}). Export the data as CSV (comma-separated values) or .xlsx and send it again.`,
  );
}

/**
 * An OLE2 (compound) file is a legacy .xls or a password-protected workbook: Excel keeps an encrypted
 * .xlsx inside one, as the streams EncryptionInfo and EncryptedPackage (names in UTF-16).
 */
function compoundFileError(head: Buffer): IntakeError {
  if (head.includes(Buffer.from('EncryptedPackage', 'utf16le'))) return passwordProtected();
  return new IntakeError(
    'excel_file',
    'This is an Excel 97–2003 workbook (.xls), which Intake does not read. Open it in Excel and save it as .xlsx or CSV (File → Save As), then send it again.',
    { format: 'xls' },
  );
}

/** A workbook reaching the CSV sniffer was not routed to the workbook reader (see isZipFile). */
function rejectKnownFormats(head: Buffer): void {
  if (startsWith(head, ZIP_MAGIC)) {
    throw new IntakeError(
      'excel_file',
      'This looks like an Excel workbook, not CSV text. Save it as CSV (File → Save As → CSV UTF-8), or import it as a workbook.',
      { format: 'xlsx' },
    );
  }
  if (startsWith(head, CFB_MAGIC)) throw compoundFileError(head);
  for (const sig of SIGNATURES) if (startsWith(head, sig.magic)) throw binaryFile(sig.what);
}

/** UTF-16 without a BOM shows as NUL bytes in every other position; say so rather than "binary". */
function rejectBomlessUtf16(head: Buffer): void {
  const sample = head.subarray(0, Math.min(head.length, 1024) & ~1);
  let even = 0;
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) even++;
    else odd++;
  }
  const nuls = even + odd;
  if (sample.length < 4 || nuls * 5 < sample.length || Math.max(even, odd) * 10 < nuls * 9) return;
  throw new IntakeError(
    'unsupported_encoding',
    'This file is UTF-16 text without a byte order mark. Save it as CSV UTF-8 (File → Save As → CSV UTF-8) and send it again.',
  );
}

function isControl(code: number): boolean {
  return (code < 0x20 && code !== 9 && code !== 10 && code !== 13) || code === 0x7f;
}

/** Text with more than 5% control characters is binary, even without a NUL. */
function controlHeavy(text: string): boolean {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i))) count++;
  return count >= 3 && count * 20 > text.length;
}

/**
 * Bytes that Windows-1252 leaves undefined decode to U+FFFD; many of them mean another legacy
 * encoding (Shift-JIS, GBK…), which would otherwise be imported as gibberish.
 */
function rejectUnknownEncoding(text: string): void {
  let unknown = 0;
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) unknown++;
  if (unknown < 3 || unknown * 100 < text.length) return;
  throw new IntakeError(
    'unsupported_encoding',
    'The file is in a text encoding Intake cannot read (it is neither UTF-8 nor Windows-1252). Save it as CSV UTF-8 (File → Save As → CSV UTF-8) and send it again.',
  );
}

// ---------------------------------------------------------------- encoding

function detectEncoding(head: Buffer, utf8Valid: boolean): { encoding: Encoding; bom: boolean } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: true };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: true };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: true };
  return { encoding: utf8Valid ? 'utf-8' : 'windows-1252', bom: false };
}

// ---------------------------------------------------------------- records, delimiter, header

export interface SniffedRecord {
  line: number;
  cells: string[];
}

/** Non-blank records with their start lines, parsed exactly as readRows will parse the file. */
function readRecords(text: string, delimiter: Delimiter): SniffedRecord[] {
  const lines = new LineCounter();
  const records: SniffedRecord[] = [];
  try {
    parse(text, {
      ...csvOptions(delimiter),
      to: SNIFF_RECORDS,
      on_record: (cells: string[], info) => {
        const line = lines.startOf(cells, info.lines);
        if (!isBlankRecord(cells)) records.push({ line, cells });
        return null;
      },
    });
  } catch {
    // An open quote at the end of a head (or a malformed tail): the records before it are what we need.
  }
  return records;
}

/**
 * The table's width: the most common width (ties: the wider) from the first multi-cell record on,
 * provided multi-cell records are the majority there. Title lines sit before that record, so they
 * neither vote nor hide the table in a short file.
 */
function tableWidth(widths: readonly number[]): number {
  const first = widths.findIndex((w) => w >= 2);
  if (first < 0) return 1;
  const rest = widths.slice(first);
  const wide = rest.filter((w) => w >= 2);
  if (wide.length * 2 <= rest.length) return 1;
  const counts = new Map<number, number>();
  for (const w of wide) counts.set(w, (counts.get(w) ?? 0) + 1);
  let best = 1;
  let bestCount = 0;
  for (const [w, c] of counts) {
    if (c > bestCount || (c === bestCount && w > best)) [best, bestCount] = [w, c];
  }
  return best;
}

interface Candidate {
  delimiter: Delimiter;
  records: SniffedRecord[];
  width: number;
  consistency: number;
}

function scoreCandidate(text: string, delimiter: Delimiter): Candidate {
  const records = readRecords(text, delimiter);
  const widths = records.map((r) => r.cells.length);
  const width = tableWidth(widths);
  const matching = widths.filter((w) => w === width).length;
  const consistency = width >= 2 && widths.length > 0 ? matching / widths.length : 0;
  return { delimiter, records, width, consistency };
}

/** The delimiter whose parse gives the most records of the table's width; ties go to the wider table. */
function chooseDelimiter(text: string): Candidate {
  const candidates = DELIMITERS.map((d) => scoreCandidate(text, d));
  let best = candidates[0] as Candidate;
  for (const c of candidates.slice(1)) {
    if (c.consistency > best.consistency || (c.consistency === best.consistency && c.width > best.width))
      best = c;
  }
  if (best.consistency === 0) return candidates[0] as Candidate;
  return best;
}

function nonEmptyCount(cells: readonly string[]): number {
  return cells.filter((c) => c.trim() !== '').length;
}

/** The first record about as wide as the table; title lines ("Report,,,,") have fewer filled cells. */
function findHeader(records: readonly SniffedRecord[], width: number): SniffedRecord | undefined {
  const needed = Math.max(Math.min(2, width), Math.ceil(width * 0.6));
  const header = records.find((r) => nonEmptyCount(r.cells) >= needed);
  if (header) return header;
  const most = Math.max(0, ...records.map((r) => nonEmptyCount(r.cells)));
  return records.find((r) => nonEmptyCount(r.cells) === most);
}

// Header cells come from the file and may be megabytes long: each pattern below runs in one pass over a
// cell, whatever it holds (src/regex-safety.spec.ts runs them on adversarial megabyte cells).
/**
 * Something@domain with a dot inside the domain. The domain is split at its first dot after its first
 * character, so no two quantifiers compete for the same dots: `a@` and a run of dots fails in one pass.
 */
export const DATA_EMAIL = /^[^\s@]+@[^\s@][^\s@.]*\.[^\s@]+$/;
export const DATA_NUMBER_OR_PHONE = /^[-+]?[$€£¥]?\(?\d[\d\s.,'()-]*%?$/;
export const DATA_DATE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?!\d)/;

/**
 * Column names are words: a record holding an email, or mostly numbers and dates, is data. A value
 * longer than a head keeps of a cell is none of those (an address has at most 254 characters), so the
 * patterns only ever read short values.
 */
function looksLikeData(cells: readonly string[]): boolean {
  const values = cells.map((c) => c.trim()).filter((c) => c !== '');
  const short = values.filter((v) => v.length <= SNIFF_CELL_CHARS);
  if (short.some((v) => DATA_EMAIL.test(v))) return true;
  const dataLike = short.filter((v) => DATA_NUMBER_OR_PHONE.test(v) || DATA_DATE.test(v)).length;
  return dataLike * 2 > values.length;
}

function noHeader(message: string): IntakeError {
  return new IntakeError('no_header', message);
}

/** Cells up to the last filled one: trailing empty cells ("Ana,a@x.com,,") don't make a row wider. */
function filledWidth(cells: readonly string[]): number {
  let n = cells.length;
  while (n > 0 && (cells[n - 1] ?? '').trim() === '') n--;
  return n;
}

/** A head's cell as its layout keeps it: at most SNIFF_CELL_CHARS characters. */
function clipCell(cell: string): string {
  return cell.length > SNIFF_CELL_CHARS ? cell.slice(0, SNIFF_CELL_CHARS) : cell;
}

/** Where a table's header is among its non-blank records, its column names and sample rows. */
export function tableOf(
  records: readonly SniffedRecord[],
): Pick<FileLayout, 'headerLine' | 'headers' | 'samples'> {
  const header = findHeader(records, tableWidth(records.map((r) => filledWidth(r.cells))));
  if (!header) {
    throw noHeader(
      `The file has no header row naming its columns. Start from ${TEMPLATE_HINT}, fill it in and send it again.`,
    );
  }
  if (looksLikeData(header.cells)) {
    throw noHeader(
      `The first row looks like data, not column names. Add a header row that names each column, like the one in ${TEMPLATE_HINT}, and send the file again.`,
    );
  }
  const samples = records.filter((r) => r.line > header.line);
  return {
    headerLine: header.line,
    headers: header.cells.map((c) => clipCell(c.trim())),
    samples: samples.map((r) => r.cells.map(clipCell)),
  };
}

function layoutOf(text: string, encoding: Encoding, bom: boolean): FileLayout {
  const { delimiter, records } = chooseDelimiter(text);
  return { encoding, bom, delimiter, ...tableOf(records) };
}

// ---------------------------------------------------------------- sniffing

/** Drops a possibly cut last line of a head that is only a prefix of the file. */
function cutAtLastLineBreak(text: string): string {
  const end = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  return end < 0 ? text : text.slice(0, end + 1);
}

/** Start of the line holding `index`: rows before binary data are still a usable file. */
function lineStartBefore(text: string, index: number): number {
  const before = text.slice(0, index);
  return Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
}

function decodeText(head: Buffer, utf8Valid: boolean): { text: string; encoding: Encoding; bom: boolean } {
  const { encoding, bom } = detectEncoding(head, utf8Valid);
  if (!bom) rejectBomlessUtf16(head);
  return { text: iconv.decode(head, encoding, { stripBOM: true }), encoding, bom };
}

/**
 * Works out how to read a file from its first bytes: encoding, delimiter, where the header is, and
 * sample rows. Throws an IntakeError (empty_file, excel_file, binary_file, unsupported_encoding,
 * no_header) whose message tells the person what to do. `truncated`: `head` is only a prefix.
 */
export function sniffLayout(head: Buffer, opts: { utf8Valid: boolean; truncated: boolean }): FileLayout {
  if (head.length === 0) throw emptyFile();
  rejectKnownFormats(head);
  const { text, encoding, bom } = decodeText(head, opts.utf8Valid);
  if (text.trim() === '') {
    if (opts.truncated)
      throw noHeader('The file starts with a long run of blank lines. Remove them and send it again.');
    throw emptyFile();
  }
  const nul = text.indexOf('\0');
  const clean = nul < 0 ? text : text.slice(0, lineStartBefore(text, nul));
  if (nul === 0 || controlHeavy(clean.slice(0, 4096))) throw binaryFile('binary data');
  if (encoding === 'windows-1252') rejectUnknownEncoding(clean);
  if (nul < 0) return layoutOf(opts.truncated ? cutAtLastLineBreak(text) : text, encoding, bom);
  // Binary data after some lines: a CSV with a damaged tail (readRows stops there) or a binary file.
  try {
    return layoutOf(clean, encoding, bom);
  } catch {
    throw binaryFile('binary data');
  }
}

function emptyFile(): IntakeError {
  return new IntakeError(
    'empty_file',
    `The file is empty. Start from ${TEMPLATE_HINT}, fill it in and send it again.`,
  );
}
