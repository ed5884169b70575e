/**
 * The shared-strings table kept compactly: all texts as UTF-8 in one growing Buffer (outside the JS
 * heap) with their end offsets, instead of one JS string per entry. A workbook of a million rows holds
 * millions of them; as strings they would need several times their text's size of heap.
 */
export class SharedStrings {
  private bytes: Buffer = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  private ends = new Uint32Array(1024);
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(text: string): void {
    const need = Buffer.byteLength(text, 'utf8');
    if (this.used + need > this.bytes.length) this.bytes = grow(this.bytes, this.used, this.used + need);
    this.used += this.bytes.write(text, this.used, 'utf8');
    if (this.count === this.ends.length) {
      const ends = new Uint32Array(this.ends.length * 2);
      ends.set(this.ends);
      this.ends = ends;
    }
    this.ends[this.count++] = this.used;
  }

  /**
   * The text at `index`, at most its first `maxChars` characters (decoding only the bytes those can
   * take, so a one-cell-of-megabytes entry read for every row costs each row that much, not megabytes);
   * '' past the end (a damaged sheet pointing nowhere).
   */
  at(index: number, maxChars = Infinity): string {
    if (!(index >= 0 && index < this.count)) return '';
    const start = index === 0 ? 0 : (this.ends[index - 1] ?? 0);
    const end = this.ends[index] ?? start;
    // A UTF-8 sequence of n bytes is one UTF-16 unit (n ≤ 3) or two (n = 4): 3 bytes a unit always
    // cover maxChars units, and the 4 more a sequence cut at the end.
    const room = maxChars * 3 + 4;
    if (end - start <= room) return this.bytes.toString('utf8', start, end);
    return this.bytes.toString('utf8', start, start + room).slice(0, maxChars);
  }
}

function grow(buf: Buffer, used: number, needed: number): Buffer {
  const next = Buffer.allocUnsafe(Math.max(needed, Math.min(buf.length * 2, buf.length + 64 * 1024 * 1024)));
  buf.copy(next, 0, 0, used);
  return next;
}
