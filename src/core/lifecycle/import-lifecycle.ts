/**
 * An import's life: its states and every allowed transition, in one pure table. Nothing else decides
 * whether an import may move; the repository applies a transition atomically (a conditional update on
 * the state it was computed from) and the lifecycle service around it announces what happened.
 *
 *   awaiting_mapping ─start→ queued ─begin→ running ─complete→ completed
 *                                              ├─fail→ failed ─retry→ queued
 *                                              └─cancel→ cancelling ─stop→ cancelled
 *   awaiting_mapping, queued ─cancel→ cancelled
 *   awaiting_mapping ─expire→ cancelled   (nobody confirmed the mapping in time)
 *   awaiting_mapping, queued ─fileLost→ failed   (the upload could not be stored; it is sent again)
 *   completed (dry run) ─runForReal→ queued
 *   completed, failed, cancelled ─rollback→ rolling_back ─rolledBack→ rolled_back
 */
export const IMPORT_STATUSES = [
  'awaiting_mapping',
  'queued',
  'running',
  'cancelling',
  'completed',
  'failed',
  'cancelled',
  'rolling_back',
  'rolled_back',
] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const IMPORT_EVENTS = [
  'start',
  'runForReal',
  'begin',
  'complete',
  'fail',
  'cancel',
  'expire',
  'fileLost',
  'stop',
  'retry',
  'rollback',
  'rolledBack',
] as const;
export type ImportEvent = (typeof IMPORT_EVENTS)[number];

type Moves = Partial<Record<ImportStatus, ImportStatus>>;

/** For each event, the states it may leave and the state it leads to from each. */
const TRANSITIONS: Record<ImportEvent, Moves> = {
  start: { awaiting_mapping: 'queued' },
  // A completed dry run can be run for real; the service also requires the import to be a dry run.
  runForReal: { completed: 'queued' },
  // A running import begins again when a worker resumes it after a crash.
  begin: { queued: 'running', running: 'running' },
  complete: { running: 'completed' },
  // A cancel that was waiting for the batch in flight ends cancelled even when the worker gives up.
  fail: { queued: 'failed', running: 'failed', cancelling: 'cancelled' },
  // A running import finishes the batch in flight first, so everything it wrote is accounted for.
  cancel: { awaiting_mapping: 'cancelled', queued: 'cancelled', running: 'cancelling' },
  // Only an import still waiting for its mapping expires: a start that won the race is not undone.
  expire: { awaiting_mapping: 'cancelled' },
  // An upload is answered before it is stored; when storing it fails, the import cannot run.
  fileLost: { awaiting_mapping: 'failed', queued: 'failed' },
  stop: { cancelling: 'cancelled' },
  retry: { failed: 'queued' },
  // rolling_back again resumes a rollback that was interrupted (its deletes are idempotent).
  rollback: {
    completed: 'rolling_back',
    failed: 'rolling_back',
    cancelled: 'rolling_back',
    rolling_back: 'rolling_back',
  },
  rolledBack: { rolling_back: 'rolled_back' },
};

/** What a person was trying to do, for the message that refuses it. */
const VERBS: Record<ImportEvent, string> = {
  start: 'start',
  runForReal: 'run for real',
  begin: 'run',
  complete: 'complete',
  fail: 'fail',
  cancel: 'cancel',
  expire: 'expire',
  fileLost: 'give up on the file of',
  stop: 'stop',
  retry: 'retry',
  rollback: 'roll back',
  rolledBack: 'finish rolling back',
};

/** The state `event` leads to from `from`, or null when the lifecycle does not allow it. */
export function nextStatus(from: ImportStatus, event: ImportEvent): ImportStatus | null {
  return TRANSITIONS[event][from] ?? null;
}

/** The states `event` may leave. */
function statesAllowing(event: ImportEvent): ImportStatus[] {
  return Object.keys(TRANSITIONS[event]) as ImportStatus[];
}

/** The sentence that refuses `event` on an import in `status`. */
export function refusal(importId: string, status: ImportStatus, event: ImportEvent): string {
  const allowed = statesAllowing(event).map(label);
  return `Cannot ${VERBS[event]} import ${importId}: it is ${label(status)} (only an import that is ${orList(allowed)} can be).`;
}

export function label(status: ImportStatus): string {
  return status.replace('_', ' ');
}

/** States that no longer change by themselves: a person may act on them, nothing else will. */
const SETTLED: ReadonlySet<ImportStatus> = new Set(['completed', 'failed', 'cancelled', 'rolled_back']);
export function isTerminal(status: ImportStatus): boolean {
  return SETTLED.has(status);
}

/** The endings of a run that the person who started it is told about. */
const ENDINGS: ReadonlySet<ImportStatus> = new Set(['completed', 'failed', 'cancelled']);
export function isEnding(status: ImportStatus): boolean {
  return ENDINGS.has(status);
}

function orList(items: string[]): string {
  return items.length < 2
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
