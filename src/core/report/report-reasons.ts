/** How many rows gave one kind of reason ("invalid email"), for a summary's "top reasons". */
export interface ReasonCount {
  reason: string;
  rows: number;
}

/**
 * A reason without the values it quotes: `invalid email "bob@example"` → `invalid email`,
 * `phone "12" could not be parsed; website "x" is not a URL` → two kinds. Rows with the same kind of
 * problem then count together.
 */
export function reasonKinds(reason: string): string[] {
  const kinds = reason
    .split('; ')
    .map((part) =>
      part
        .replace(/"[^"]*"/g, '')
        .replace(/\d+/g, 'N')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((k) => k && k !== 'values may be shifted');
  return [...new Set(kinds)];
}

/** Counts reason kinds over streamed rows; keeps at most `maxKinds` distinct kinds in memory. */
export class ReasonTally {
  private readonly counts = new Map<string, number>();
  constructor(private readonly maxKinds = 1000) {}

  /** Counts the row under each of its kinds, or under its first only (`firstOnly`) so counts add up to rows. */
  add(reason: string, firstOnly = false): void {
    const kinds = reasonKinds(reason);
    for (const kind of firstOnly ? kinds.slice(0, 1) : kinds) {
      const n = this.counts.get(kind);
      if (n !== undefined) this.counts.set(kind, n + 1);
      else if (this.counts.size < this.maxKinds) this.counts.set(kind, 1);
    }
  }

  /** The `n` most frequent kinds, most rows first (then alphabetically, so the order is stable). */
  top(n: number): ReasonCount[] {
    return [...this.counts]
      .map(([reason, rows]) => ({ reason, rows }))
      .sort((a, b) => b.rows - a.rows || a.reason.localeCompare(b.reason))
      .slice(0, n);
  }
}

/** "invalid email (3), missing required field Email (1)". */
export function reasonsText(reasons: readonly ReasonCount[]): string {
  return reasons.map((r) => `${r.reason} (${r.rows.toLocaleString('en-US')})`).join(', ');
}

/** The most frequent kinds of reason of an import's skipped and flagged rows. */
export interface TopReasons {
  skipped: ReasonCount[];
  flagged: ReasonCount[];
  /** Counted over the first rows of the report only. */
  sampled: boolean;
}
