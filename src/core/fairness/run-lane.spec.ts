import { runLane, waitingReason } from './run-lane';

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

describe('waitingReason', () => {
  it('names the running imports when the workspace is at its limit', () => {
    expect(waitingReason({ running: 2, limit: 2, laneBusy: false, type: 'clients' })).toBe(
      'waiting: 2 imports of this workspace are running',
    );
    expect(waitingReason({ running: 1, limit: 1, laneBusy: true, type: 'clients' })).toBe(
      'waiting: 1 import of this workspace is running',
    );
  });

  it('names the update lane when only it holds the import back', () => {
    expect(waitingReason({ running: 1, limit: 2, laneBusy: true, type: 'leads' })).toBe(
      'waiting: another import updating leads is running in this workspace',
    );
  });

  it('is null when nothing holds the import back', () => {
    expect(waitingReason({ running: 0, limit: 2, laneBusy: false, type: 'clients' })).toBeNull();
  });
});
