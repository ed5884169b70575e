/**
 * Remembers keys for a while: `first` is true for a key not seen within `ttlMs`. Bounded, so a flood
 * of keys cannot grow it without end (the oldest are forgotten first).
 */
export class OncePer {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  first(key: string, now: number): boolean {
    const until = this.seen.get(key);
    if (until !== undefined && until > now) return false;
    this.seen.delete(key);
    this.seen.set(key, now + this.ttlMs);
    while (this.seen.size > this.maxKeys) {
      const oldest = this.seen.keys().next().value;
      if (oldest === undefined) break;
      this.seen.delete(oldest);
    }
    return true;
  }
}
