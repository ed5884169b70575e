import type { ImportStatus } from '../../core/lifecycle/import-lifecycle';
import type { ImportCounts } from '../imports/import.schema';

/** What the engine says of an import as it moves: a new status, or progress while it runs. */
export interface ImportEventMessage {
  kind: 'status' | 'progress';
  importId: string;
  workspaceId: string;
  status: ImportStatus;
  /** Last file row whose records are committed. */
  committedRow: number;
  counts: ImportCounts;
  /** When it was said (ms since the epoch). */
  at: number;
}

export type ImportEventHandler = (event: ImportEventMessage) => void;

/**
 * A broadcast on Redis from the process that moves an import to every process that follows it (the
 * Slack door's progress bar, the CLI). Lossy by design: a subscriber that was disconnected misses what
 * was said meanwhile, so `onReady` runs after every (re)subscription for it to read the current state
 * once. Endings also travel durably, as notices (ImportNotices), to the doors that must announce them.
 */
export interface ImportEvents {
  /** Never throws: a lost event must not fail the import it describes. */
  publish(event: ImportEventMessage): Promise<void>;
  subscribe(handler: ImportEventHandler, onReady?: () => void): Promise<() => Promise<void>>;
}

export const IMPORT_EVENTS_PORT = Symbol('IMPORT_EVENTS_PORT');
