import { Options, Parser } from 'csv-parse';
import iconv from 'iconv-lite';
import { pipeline, Readable, Transform, TransformCallback } from 'node:stream';
import type { Delimiter, Encoding, FileLayout } from './file-sniffer';
import { CsvParseApi, DEFAULT_ROW_LIMITS, RecordGuard, RowLimits } from './record-guard';

export type SourceRowErrorCode = 'unterminated_quote' | 'binary_data' | 'malformed';

/**
 * A data row; a row over the limits comes as `oversize`, with the cells that were kept (the first
 * ones, up to the limits) and why it cannot be imported.
 */
export type SourceRow =
  | { kind: 'row'; row: number; cells: string[] }
  | { kind: 'oversize'; row: number; cells: string[]; reason: string }
  | { kind: 'error'; row: number; code: SourceRowErrorCode; message: string };

/**
 * The one set of csv-parse options, shared with the sniffer so both count lines the same way.
 * `maxRecordBytes` guards memory: a runaway quote would otherwise buffer the rest of the file as one value.
 */
export function csvOptions(
  delimiter: Delimiter,
  maxRecordBytes = DEFAULT_ROW_LIMITS.maxRecordBytes,
): Options {
  return {
    delimiter,
    // Explicit so that files mixing CRLF and LF still split on every line end.
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    bom: false,
    max_record_size: maxRecordBytes,
  };
}

/**
 * Turns csv-parse's line count at each record's end into the physical line where the record starts.
 * csv-parse counts a CRLF inside a quoted field twice, so only its "did this record span lines" signal
 * is trusted; multi-line records are recounted from their cells (line breaks are kept there verbatim).
 */
export class LineCounter {
  private nextStart = 1;
  private linesSeen = 0;

  /** Physical line where the record being parsed (not yet complete) starts. */
  get pending(): number {
    return this.nextStart;
  }

  /**
   * Call once per record, in order, blank ones included; returns the record's start line.
   * `droppedBreaks`: line breaks in parts of the record that were dropped rather than kept in `cells`.
   */
  startOf(cells: readonly string[], parserLines: number, droppedBreaks = 0): number {
    const start = this.nextStart;
    const span = parserLines - this.linesSeen;
    this.linesSeen = parserLines;
    this.nextStart += span > 1 ? 1 + lineBreaksIn(cells) + droppedBreaks : 1;
    return start;
  }
}

function lineBreaksIn(cells: readonly string[]): number {
  let breaks = 0;
  for (const cell of cells) {
    for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) breaks++;
    for (let i = cell.indexOf('\r'); i !== -1; i = cell.indexOf('\r', i + 1)) {
      if (cell.charCodeAt(i + 1) !== 10) breaks++;
    }
  }
  return breaks;
}

/**
 * True when no cell holds anything but whitespace (such a record counts as a blank line).
 * A DOS end-of-file mark (Ctrl-Z) left by old exporters counts as whitespace too.
 */
export function isBlankRecord(cells: readonly string[]): boolean {
  for (const cell of cells) {
    if (cell.length === 0) continue;
    const text = cell.trim();
    if (text.length !== 0 && (text.charCodeAt(0) !== 0x1a || text.replace(/\x1a/g, '').trim() !== ''))
      return false;
  }
  return true;
}

/** C0 controls other than tab/LF/CR, and DEL: text never holds many of them, binary data does. */
const SUSPICIOUS_CHARS = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/;

function isSuspicious(code: number): boolean {
  return (code < 0x20 && code !== 9 && code !== 10 && code !== 13) || code === 0x7f;
}

/** A record is binary when it holds NUL or when at least a tenth of its characters are controls. */
function looksBinary(cells: readonly string[]): boolean {
  let total = 0;
  let suspicious = 0;
  for (const cell of cells) {
    total += cell.length;
    for (let i = 0; i < cell.length; i++) {
      const code = cell.charCodeAt(i);
      if (code === 0) return true;
      if (isSuspicious(code)) suspicious++;
    }
  }
  return suspicious >= 3 && suspicious * 10 >= total;
}

/**
 * Decodes to text with iconv-lite (BOM stripped) and notes, per chunk rather than per row, whether
 * anything control-like went by: only then does the parser look at each record for binary data.
 */
class DecodeStage extends Transform {
  sawSuspicious = false;
  sawNul = false;
  private readonly decoder: iconv.DecoderStream;

  constructor(encoding: Encoding) {
    super({ decodeStrings: true });
    this.decoder = iconv.getDecoder(encoding, { stripBOM: true });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.emitText(this.decoder.write(chunk));
    done();
  }

  override _flush(done: TransformCallback): void {
    this.emitText(this.decoder.end() ?? '');
    done();
  }

  private emitText(text: string): void {
    if (text.length === 0) return;
    if (!this.sawSuspicious && SUSPICIOUS_CHARS.test(text)) this.sawSuspicious = true;
    if (this.sawSuspicious && !this.sawNul && text.includes('\0')) this.sawNul = true;
    this.push(text, 'utf8');
  }
}

interface ParserState {
  state?: { quoting?: boolean };
}

/**
 * csv-parse with the row logic folded into `push`, which csv-parse calls synchronously at each record's
 * end: the line count read there is exact, and no per-record info object is allocated. Parse errors
 * become a final error item instead of a stream error, which would drop the rows still buffered.
 */
class RowParser extends Parser {
  private readonly lines = new LineCounter();
  private readonly guard: RecordGuard;
  private stopped = false;

  constructor(
    private readonly layout: FileLayout,
    private readonly decoded: DecodeStage,
    private readonly limits: RowLimits,
  ) {
    super(csvOptions(layout.delimiter, limits.maxRecordBytes));
    const api = (this as unknown as { api: CsvParseApi }).api;
    this.guard = new RecordGuard(api, layout.headers.length + limits.maxExtraCells, limits.maxRecordBytes);
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null, encoding);
    if (this.stopped) return false;
    const cells = chunk as string[];
    const guard = this.guard;
    const start = this.lines.startOf(cells, this.info.lines, guard.droppedBreaks);
    if (start <= this.layout.headerLine || (!guard.cut && isBlankRecord(cells))) return true;
    const row = this.rowAt(start);
    if (this.decoded.sawSuspicious && looksBinary(cells)) return this.stop(binaryDataError(row));
    if (guard.cut) return super.push({ kind: 'oversize', row, cells, reason: this.oversize(row, cells) });
    return super.push({ kind: 'row', row, cells } satisfies SourceRow);
  }

  private oversize(row: number, cells: readonly string[]): string {
    const { droppedCells } = this.guard;
    if (droppedCells > 0) {
      const width = this.layout.headers.length;
      return `row ${row} has ${count(cells.length + droppedCells)} cells; the header has ${count(width)}`;
    }
    return `row ${row} is longer than ${sizeOf(this.limits.maxRecordBytes)}`;
  }

  // A throw here would surface in the upstream stream's 'data' handler, outside any import, and end the
  // whole process: it is turned into this file's error instead.
  override _transform(chunk: Buffer, enc: BufferEncoding, done: TransformCallback): void {
    if (this.stopped) return done();
    const once = onceOnly(done);
    try {
      super._transform(chunk, enc, (err) => this.settle(err, once));
    } catch (e) {
      this.settle(e as Error, once);
    }
  }

  override _flush(done: TransformCallback): void {
    if (this.stopped) return done();
    const once = onceOnly(done);
    try {
      super._flush((err) => this.settle(err, once));
    } catch (e) {
      this.settle(e as Error, once);
    }
  }

  private settle(err: Error | null | undefined, done: TransformCallback): void {
    if (err) this.stop(this.describe(err));
    done();
  }

  private stop(error: SourceRow): boolean {
    this.stopped = true;
    super.push(error);
    super.push(null);
    return false;
  }

  private rowAt(line: number): number {
    return 1 + line - this.layout.headerLine;
  }

  private describe(err: Error): SourceRow {
    const row = this.rowAt(Math.max(this.lines.pending, this.layout.headerLine + 1));
    if (this.decoded.sawNul) return binaryDataError(row);
    const code = (err as Error & { code?: string }).code;
    const quoting = (this as unknown as ParserState).state?.quoting === true;
    if (code === 'CSV_QUOTE_NOT_CLOSED' || (code === 'CSV_MAX_RECORD_SIZE' && quoting)) {
      return unterminatedQuoteError(row);
    }
    const why =
      code === 'CSV_MAX_RECORD_SIZE'
        ? `it is longer than ${sizeOf(this.limits.maxRecordBytes)}`
        : err.message;
    return {
      kind: 'error',
      row,
      code: 'malformed',
      message: `This row could not be read (${why}), so it and the rest of the file were not imported. Fix the row and import the remaining rows again.`,
    };
  }
}

function onceOnly(done: TransformCallback): TransformCallback {
  let called = false;
  return (err) => {
    if (called) return;
    called = true;
    done(err);
  };
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A byte size as people read it: "4 MB", "512 KB". */
export function sizeOf(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${count(Math.round((bytes / (1024 * 1024)) * 10) / 10)} MB`;
  if (bytes >= 1024) return `${count(Math.round(bytes / 1024))} KB`;
  return `${count(bytes)} bytes`;
}

function unterminatedQuoteError(row: number): SourceRow {
  return {
    kind: 'error',
    row,
    code: 'unterminated_quote',
    message:
      'A quote (") opened in this row is never closed, so this row and the lines after it could not be read. Close the quote and import those rows again.',
  };
}

function binaryDataError(row: number): SourceRow {
  return {
    kind: 'error',
    row,
    code: 'binary_data',
    message: `The file holds binary (non-text) data from row ${row} on; the rows before it were read. The file may be damaged: export it as CSV again and import the remaining rows.`,
  };
}

function toReadable(bytes: NodeJS.ReadableStream | Readable): Readable {
  return bytes instanceof Readable ? bytes : new Readable().wrap(bytes);
}

/**
 * Streams the data rows of a file whose layout was sniffed: decode → csv-parse → rows after the header,
 * numbered as lines of the file with the header as row 1. A row over `limits` comes as one `oversize`
 * item, without its cells ever being held, and reading goes on. Ends with one error item when the
 * file turns out malformed; errors of the byte source itself (I/O) are thrown to the caller.
 */
export async function* readRows(
  bytes: NodeJS.ReadableStream | Readable,
  layout: FileLayout,
  limits: RowLimits = DEFAULT_ROW_LIMITS,
): AsyncGenerator<SourceRow> {
  const decoded = new DecodeStage(layout.encoding);
  const parser = new RowParser(layout, decoded, limits);
  // Errors reach the consumer through the parser's iterator; the callback only keeps them handled.
  pipeline(toReadable(bytes), decoded, parser, () => undefined);
  try {
    for await (const item of parser) {
      const row = item as SourceRow;
      yield row;
      if (row.kind === 'error') return;
    }
  } finally {
    parser.destroy();
  }
}
