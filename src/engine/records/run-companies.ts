import { KeyTable } from '../../core/dedupe/key-table';

/** Company ids cached per run at most; beyond, the cache starts over and later batches read again. */
const MAX_CACHED_IDS = 10_000;

/**
 * What one run of an import knows of companies, in bounded memory: the ids of companies it has read
 * (a cache: a key not in it is read again), and, for a dry run, the would-be companies it has counted,
 * kept as 64-bit hashes so that a file naming a company on every row does not grow a Map of names.
 */
export class RunCompanies {
  private ids = new Map<string, string>();
  private readonly counted = new KeyTable(1 << 10);

  /** Called once per batch, before its keys are looked up: keeps the cache bounded. */
  startBatch(): void {
    if (this.ids.size > MAX_CACHED_IDS) this.ids = new Map();
  }

  idOf(key: string): string | undefined {
    return this.ids.get(key);
  }

  remember(key: string, id: string): void {
    this.ids.set(key, id);
  }

  /** A dry run's company: true the first time this run counts it as one to create. */
  countOnce(key: string): boolean {
    return this.counted.firstRowOf(key, 2) === undefined;
  }

  /** Whether a dry run has already counted this company (it is not read again). */
  wasCounted(key: string): boolean {
    return this.counted.has(key);
  }
}
