import type { RecordType } from '../record-type';

/** What decides whether an import may run beside another of its workspace. */
export interface LaneInput {
  type: RecordType;
  onDuplicate: 'skip' | 'update' | 'fill';
  dryRun: boolean;
}

/**
 * The lane an import runs in, or null when it may run beside anything. Imports that update or fill
 * records of one type run one at a time per workspace: two updating the same new keys at once would both upsert
 * them, which FerretDB 1.x does not survive, and on any database the later write would win at random.
 * A dry run writes nothing, so it needs no lane.
 */
export function runLane(imp: LaneInput): string | null {
  if (imp.dryRun || imp.onDuplicate === 'skip') return null;
  return `update:${imp.type}`;
}

/** What holds a queued import back, said the way a person reads it; null when nothing does. */
export interface Hold {
  /** Imports of the workspace running now. */
  running: number;
  /** The per-workspace limit. */
  limit: number;
  /** The import waits for the one update-mode import of its type to end. */
  laneBusy: boolean;
  type: RecordType;
}

export function waitingReason(hold: Hold): string | null {
  if (hold.running >= hold.limit) {
    const n = hold.running === 1 ? '1 import' : `${hold.running} imports`;
    return `waiting: ${n} of this workspace ${hold.running === 1 ? 'is' : 'are'} running`;
  }
  if (hold.laneBusy) return `waiting: another import updating ${hold.type} is running in this workspace`;
  return null;
}
