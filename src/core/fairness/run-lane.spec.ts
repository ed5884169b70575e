import { Hold, runLane, waitingReason } from './run-lane';

describe('runLane', () => {
  it('puts update-mode imports of one type in one lane', () => {
    expect(runLane({ type: 'clients', onDuplicate: 'update', dryRun: false })).toBe('update:clients');
    expect(runLane({ type: 'leads', onDuplicate: 'update', dryRun: false })).toBe('update:leads');
  });

  it('puts fill-mode imports in the same lane: they write existing records too', () => {
    expect(runLane({ type: 'clients', onDuplicate: 'fill', dryRun: false })).toBe('update:clients');
  });

  it('leaves skip-mode imports and dry runs free', () => {
    expect(runLane({ type: 'clients', onDuplicate: 'skip', dryRun: false })).toBeNull();
    expect(runLane({ type: 'clients', onDuplicate: 'update', dryRun: true })).toBeNull();
  });
});

/** A workspace of the default setup (limit 2) in a deployment of four live slots, nothing running. */
const hold = (over: Partial<Hold>): Hold => ({
  running: 0,
  limit: 2,
  share: 2,
  laneBusy: false,
  slots: 4,
  busySlots: 0,
  type: 'clients',
  ...over,
});

describe('waitingReason', () => {
  it('names the running imports when the workspace is at its limit', () => {
    expect(waitingReason(hold({ running: 2, busySlots: 2 }))).toBe(
      'waiting: 2 imports of this workspace are running',
    );
    expect(waitingReason(hold({ running: 1, limit: 1, share: 1, laneBusy: true, busySlots: 1 }))).toBe(
      'waiting: 1 import of this workspace is running',
    );
  });

  it('names the share of the slots when too few slots keep the workspace below its limit', () => {
    expect(waitingReason(hold({ running: 1, share: 1, slots: 2, busySlots: 1 }))).toBe(
      'waiting: this workspace already runs 1 import, its share of the 2 worker slots',
    );
    expect(waitingReason(hold({ running: 2, limit: 5, share: 2, slots: 3, busySlots: 2 }))).toBe(
      'waiting: this workspace already runs 2 imports, its share of the 3 worker slots',
    );
    expect(waitingReason(hold({ running: 1, share: 1, slots: 1, busySlots: 1 }))).toBe(
      'waiting: this workspace already runs 1 import, on the only worker slot',
    );
  });

  it('names the update lane when only it holds the import back', () => {
    expect(waitingReason(hold({ running: 1, laneBusy: true, type: 'leads', busySlots: 1 }))).toBe(
      'waiting: another import updating leads is running in this workspace',
    );
  });

  it("names the busy slots when other workspaces' imports hold every one", () => {
    expect(waitingReason(hold({ slots: 2, share: 1, busySlots: 2 }))).toBe(
      'waiting for a free worker slot: all 2 are busy',
    );
    expect(waitingReason(hold({ slots: 1, share: 1, busySlots: 1 }))).toBe(
      'waiting for a free worker slot: the only one is busy',
    );
  });

  it('says so when no worker process is running', () => {
    expect(waitingReason(hold({ slots: 0, share: 1 }))).toBe('waiting: no worker is running');
  });

  it('is null when nothing holds the import back', () => {
    expect(waitingReason(hold({}))).toBeNull();
    expect(waitingReason(hold({ running: 1, busySlots: 3 }))).toBeNull();
  });
});
