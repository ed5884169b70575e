import type { Readable } from 'node:stream';
import { NumberStyle, numberCellText, unescapeCellText } from './cell-text';
import type { SharedStrings } from './shared-strings';
import { walkXml, XmlHandlers } from './xml-walker';

/** A row of a sheet as people see it: `row` is the sheet's row number. */
export interface SheetRow {
  row: number;
  cells: string[];
  /** Filled cells past `maxCells`, not kept. */
  droppedCells: number;
  /** Characters past `maxChars`, not kept. */
  droppedChars: number;
}

export interface SheetContext {
  sharedStrings: Pick<SharedStrings, 'at'>;
  styles: readonly NumberStyle[];
  date1904: boolean;
}

export interface SheetCaps {
  /** Cells kept per row (columns past it are counted, not held). */
  maxCells: number;
  /** Characters of text kept per row. */
  maxChars: number;
  /** Characters kept per cell (the rest is cut and not counted); every cell is whole without it. */
  maxCellChars?: number;
}

/** "BC12" → 55 (1-based column); 0 when the reference holds no letters. */
export function columnOf(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i) | 0x20;
    if (code < 0x61 || code > 0x7a) break;
    col = col * 26 + (code - 0x60);
  }
  return col;
}

/**
 * A copy of a cut text that does not keep the text it was cut from alive: V8 holds a slice's whole
 * parent string, and a row keeps its cells while a head of hundreds of rows is read.
 */
function detached(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le');
}

/** Builds rows from a sheet's SAX events: values by cell type, formulas by their cached value. */
class RowBuilder implements XmlHandlers {
  readonly done: SheetRow[] = [];
  private row: SheetRow | null = null;
  private lastRow = 0;
  private col = 0;
  private type = '';
  private style = 0;
  private value = '';
  private capturing = false;
  private inInline = false;
  private inPhonetic = false;
  private chars = 0;
  /** Characters of one value worth reading: one past what a cell may keep, so a cut is seen. */
  private readonly valueChars: number;

  constructor(
    private readonly ctx: SheetContext,
    private readonly caps: SheetCaps,
  ) {
    this.valueChars = Math.min(caps.maxChars, caps.maxCellChars ?? Infinity) + 1;
  }

  open(name: string, attrs: Readonly<Record<string, string>>): void {
    switch (name) {
      case 'row': {
        const r = Number(attrs.r);
        // Rows come in order; a file that says otherwise is numbered on so a resume stays exact.
        this.lastRow = Number.isInteger(r) && r > this.lastRow ? r : this.lastRow + 1;
        this.row = { row: this.lastRow, cells: [], droppedCells: 0, droppedChars: 0 };
        this.col = 0;
        this.chars = 0;
        return;
      }
      case 'c': {
        const ref = columnOf(attrs.r ?? '');
        this.col = ref > 0 ? ref : this.col + 1;
        this.type = attrs.t ?? 'n';
        this.style = Number(attrs.s ?? 0);
        this.value = '';
        return;
      }
      case 'v':
        // An inline string's text is its <is>; a <v> beside it (some writers add one) is not read twice.
        this.capturing = this.row !== null && this.type !== 'inlineStr';
        return;
      case 'is':
        this.inInline = true;
        return;
      case 'rPh':
        this.inPhonetic = true;
        return;
      case 't':
        this.capturing = this.inInline && !this.inPhonetic;
    }
  }

  text(text: string): void {
    // A value past the row's character bound is cut here; put() counts the row as too long.
    if (!this.capturing || this.value.length >= this.valueChars) return;
    const room = this.valueChars - this.value.length;
    this.value += text.length > room ? detached(text.slice(0, room)) : text;
  }

  close(name: string): void {
    switch (name) {
      case 'v':
      case 't':
        this.capturing = false;
        return;
      case 'is':
        this.inInline = false;
        return;
      case 'rPh':
        this.inPhonetic = false;
        return;
      case 'c':
        if (this.row) this.put(this.row, this.cellText());
        return;
      case 'row':
        if (this.row) this.done.push(this.row);
        this.row = null;
    }
  }

  private cellText(): string {
    const raw = this.value;
    switch (this.type) {
      case 's':
        // An empty index (`<c t="s"/>`, `<v/>`) is an empty cell, not the first shared string.
        return raw.trim() === '' ? '' : this.ctx.sharedStrings.at(Number(raw), this.valueChars);
      case 'b':
        return raw === '1' ? 'TRUE' : raw === '0' ? 'FALSE' : raw;
      case 'str':
      case 'inlineStr':
        return unescapeCellText(raw);
      case 'e':
        return raw;
      default: {
        const style = this.ctx.styles[this.style] ?? 'number';
        return numberCellText(raw, style, this.ctx.date1904);
      }
    }
  }

  private put(row: SheetRow, text: string): void {
    if (text === '') return;
    const index = this.col - 1;
    if (index >= this.caps.maxCells) {
      row.droppedCells++;
      return;
    }
    const room = Math.min(this.caps.maxChars - this.chars, this.caps.maxCellChars ?? Infinity);
    const kept = text.length > room ? detached(text.slice(0, Math.max(0, room))) : text;
    if (this.chars + text.length > this.caps.maxChars) row.droppedChars += text.length - kept.length;
    this.chars += kept.length;
    while (row.cells.length < index) row.cells.push('');
    row.cells[index] = kept;
  }
}

/**
 * Streams a sheet's rows (blank ones included, as the sheet holds them) from its XML part. Cells
 * merged with others show in their top-left cell; the other cells of a merge are empty, as stored.
 */
export async function* readSheetRows(
  part: Readable,
  ctx: SheetContext,
  caps: SheetCaps,
): AsyncGenerator<SheetRow> {
  const builder = new RowBuilder(ctx, caps);
  for await (const _ of walkXml(part, builder)) {
    if (builder.done.length === 0) continue;
    const rows = builder.done.splice(0);
    yield* rows;
  }
  yield* builder.done.splice(0);
}
