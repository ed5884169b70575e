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
  /** Imports of the workspace holding a slot now. */
  running: number;
  /** The per-workspace limit as configured. */
  limit: number;
  /** The most slots the workspace may hold now: its limit, fewer when the live slots are few. */
  share: number;
  /** The import waits for the one update-mode import of its type to end. */
  laneBusy: boolean;
  /** Worker slots of the live worker processes, all together. */
  slots: number;
  /** Of those, the slots imports of any workspace hold. */
  busySlots: number;
  type: RecordType;
}

export function waitingReason(hold: Hold): string | null {
  if (hold.slots === 0) return 'waiting: no worker is running';
  if (hold.running >= hold.share) return atShare(hold);
  if (hold.laneBusy) return `waiting: another import updating ${hold.type} is running in this workspace`;
  if (hold.busySlots >= hold.slots) return `waiting for a free worker slot: ${slotsBusy(hold.slots)}`;
  return null;
}

function atShare(hold: Hold): string {
  const n = hold.running === 1 ? '1 import' : `${hold.running} imports`;
  if (hold.share >= hold.limit) {
    return `waiting: ${n} of this workspace ${hold.running === 1 ? 'is' : 'are'} running`;
  }
  const of = hold.slots === 1 ? 'on the only worker slot' : `its share of the ${hold.slots} worker slots`;
  return `waiting: this workspace already runs ${n}, ${of}`;
}

function slotsBusy(slots: number): string {
  return slots === 1 ? 'the only one is busy' : `all ${slots} are busy`;
}
