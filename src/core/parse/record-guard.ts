/** What a row may hold before it is skipped unread: cells beyond the header's, and bytes of text. */
export interface RowLimits {
  /** Cells a row may have beyond the header's; more and the row is skipped. */
  readonly maxExtraCells: number;
  /** Bytes of text a row may hold; a longer row is skipped (inside quotes, the file stops there). */
  readonly maxRecordBytes: number;
}

export const DEFAULT_ROW_LIMITS: RowLimits = { maxExtraCells: 50, maxRecordBytes: 4 * 1024 * 1024 };

/** The parts of csv-parse's parser state the guard hooks into (csv-parse 5+/7 `api` object). */
interface FieldBuffer {
  length: number;
  buf: Buffer;
  append(byte: number): void;
}

export interface CsvParseApi {
  state: { record: unknown[]; field: FieldBuffer; quoting: boolean };
  __onField(): unknown;
  __resetField(): void;
  __resetRecord(): void;
}

/**
 * Watches csv-parse build each record so that an over-wide or over-long record never sits in memory:
 * cells past `maxCells` are counted and dropped as they end, and bytes past `maxBytes` outside quotes are
 * counted and dropped as they arrive. Inside quotes bytes are kept, so csv-parse's own `max_record_size`
 * (set to the same bound) stops a quote that never closes. Counters describe the record being built and
 * are read when it is pushed; csv-parse resets them with the record.
 */
export class RecordGuard {
  /** Cells dropped from the current record (its width is the kept cells plus these). */
  droppedCells = 0;
  /** Bytes dropped from the current record. */
  droppedBytes = 0;
  /** Line breaks inside what was dropped: the line count of later rows stays exact. */
  droppedBreaks = 0;
  private keptBytes = 0;
  private lastByte = 0;

  constructor(api: CsvParseApi, maxCells: number, maxBytes: number) {
    // Internals, not csv-parse's public API: fail loudly at once if an upgrade moved them.
    if (typeof api?.__onField !== 'function' || typeof api.state?.field?.append !== 'function') {
      throw new Error('csv-parse internals changed: RecordGuard needs api.__onField and api.state.field');
    }
    const { state } = api;
    const field = state.field;
    const append = field.append.bind(field);
    const onField = api.__onField.bind(api);
    const resetRecord = api.__resetRecord.bind(api);
    field.append = (byte: number): void => {
      if (this.keptBytes + field.length < maxBytes || state.quoting) return append(byte);
      this.drop(byte, field);
    };
    api.__onField = (): unknown => {
      if (state.record.length < maxCells) {
        this.keptBytes += field.length;
        return onField();
      }
      this.droppedCells++;
      this.droppedBreaks += lineBreaksIn(field.buf, field.length);
      api.__resetField();
      return undefined;
    };
    api.__resetRecord = (): void => {
      this.droppedCells = 0;
      this.droppedBytes = 0;
      this.droppedBreaks = 0;
      this.keptBytes = 0;
      resetRecord();
    };
  }

  /** Whether the current record lost cells or bytes. */
  get cut(): boolean {
    return this.droppedCells > 0 || this.droppedBytes > 0;
  }

  private drop(byte: number, field: FieldBuffer): void {
    if (this.droppedBytes === 0) this.lastByte = field.length > 0 ? (field.buf[field.length - 1] ?? 0) : 0;
    this.droppedBytes++;
    if (byte === 13 || (byte === 10 && this.lastByte !== 13)) this.droppedBreaks++;
    this.lastByte = byte;
  }
}

/** Line breaks in raw bytes, counted like text: CRLF, LF and a lone CR each count once. */
function lineBreaksIn(buf: Buffer, length: number): number {
  let breaks = 0;
  for (let i = 0; i < length; i++) {
    const byte = buf[i];
    if (byte === 13 || (byte === 10 && (i === 0 || buf[i - 1] !== 13))) breaks++;
  }
  return breaks;
}
