import type { ImportStatus } from '../../core/lifecycle/import-lifecycle';

/**
 * Overlaps reading with writing: one batch is written while the next is read and validated. Batches
 * are committed strictly in order and at most one is in flight, so each checkpoint still covers
 * exactly the rows written before it (resume after a crash stays exact). A commit answers null to go
 * on, or the state that stops the run.
 */
export class WritePipeline<T> {
  private inFlight: Promise<ImportStatus | null> = Promise.resolve(null);

  constructor(private readonly commit: (batch: T[]) => Promise<ImportStatus | null>) {}

  /** Waits for the batch in flight, then starts this one; the stopping state when the run must stop. */
  async push(batch: T[]): Promise<ImportStatus | undefined> {
    const stop = await this.inFlight;
    if (stop) return stop;
    if (!batch.length) return undefined;
    const next = this.commit(batch);
    next.catch(() => undefined); // observed by the next push, drain or settle
    this.inFlight = next;
    return undefined;
  }

  async drain(): Promise<ImportStatus | undefined> {
    return (await this.inFlight) ?? undefined;
  }

  async settle(): Promise<void> {
    await this.inFlight.catch(() => undefined);
  }
}
