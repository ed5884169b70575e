import type { RunImportPayload } from './queue.constants';

/** What the engine needs of a queue; the Bull implementation sits behind it (queue.module.ts). */
export interface ImportQueue {
  enqueue(payload: RunImportPayload): Promise<void>;
  /** Drops a waiting or finished job so the same import id can be queued again. */
  discard(importId: string): Promise<void>;
  isPending(importId: string): Promise<boolean>;
}

export const IMPORT_QUEUE_PORT = Symbol('IMPORT_QUEUE_PORT');

export interface ImportJobHandler {
  run(payload: RunImportPayload, reportProgress: (row: number) => Promise<void>): Promise<void>;
  /** Called when the queue gives up on a job (attempts used up, or it stalled too often). */
  giveUp(payload: RunImportPayload, reason: string): Promise<void>;
}
