/**
 * Remembers the first row of each duplicate key in a file, in 12 bytes a slot with at most three
 * quarters of the slots used (16–32 bytes a key), so that a million-row file needs ~25 MB instead of
 * the ~100 MB a Map<string, number> takes. Keys are kept as 64-bit hashes: two different keys collide
 * with odds of about n²/2⁶⁵ (1e-8 for a million keys). No maintained npm package offers a typed-array
 * map for 64-bit keys, hence our own.
 */
export class KeyTable {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private rows: Uint32Array; // 0 = empty slot; rows start at 2
  private count = 0;

  constructor(initialCapacity = 1 << 16) {
    let cap = 1;
    while (cap < initialCapacity) cap <<= 1;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.rows = new Uint32Array(cap);
  }

  get size(): number {
    return this.count;
  }

  /** Returns the row that first had this key, or records `row` as its first and returns undefined. */
  firstRowOf(key: string, row: number): number | undefined {
    if ((this.count + 1) * 4 > this.rows.length * 3) this.grow(); // at most three quarters full
    const [h, l] = hash64(key);
    const found = this.probe(h, l);
    const existing = this.rows[found];
    if (existing) return existing;
    this.hi[found] = h;
    this.lo[found] = l;
    this.rows[found] = row;
    this.count++;
    return undefined;
  }

  /** Whether the key has a first row, without recording it. */
  has(key: string): boolean {
    const [h, l] = hash64(key);
    return this.rows[this.probe(h, l)] !== 0;
  }

  private probe(h: number, l: number): number {
    const mask = this.rows.length - 1;
    let i = (l ^ (h >>> 7)) & mask;
    while (this.rows[i] && (this.hi[i] !== h || this.lo[i] !== l)) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const { hi, lo, rows } = this;
    this.hi = new Uint32Array(rows.length * 2);
    this.lo = new Uint32Array(rows.length * 2);
    this.rows = new Uint32Array(rows.length * 2);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (!r) continue;
      const slot = this.probe(hi[i] as number, lo[i] as number);
      this.hi[slot] = hi[i] as number;
      this.lo[slot] = lo[i] as number;
      this.rows[slot] = r;
    }
  }
}

/** Two independent 32-bit FNV-1a style hashes over UTF-16 code units. */
export function hash64(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b ^= b >>> 16;
  return [a >>> 0, b >>> 0];
}
