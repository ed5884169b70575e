import {
  IMPORT_EVENTS,
  IMPORT_STATUSES,
  ImportEvent,
  ImportStatus,
  isEnding,
  isTerminal,
  nextStatus,
  refusal,
} from './import-lifecycle';

/** The whole table, written out: every (state, event) pair not listed here must be refused. */
const ALLOWED: [ImportStatus, ImportEvent, ImportStatus][] = [
  ['awaiting_mapping', 'start', 'queued'],
  ['awaiting_mapping', 'cancel', 'cancelled'],
  ['awaiting_mapping', 'expire', 'cancelled'],
  ['awaiting_mapping', 'fileLost', 'failed'],
  ['queued', 'fileLost', 'failed'],
  ['queued', 'begin', 'running'],
  ['queued', 'fail', 'failed'],
  ['queued', 'cancel', 'cancelled'],
  ['running', 'begin', 'running'],
  ['running', 'complete', 'completed'],
  ['running', 'fail', 'failed'],
  ['running', 'cancel', 'cancelling'],
  ['cancelling', 'stop', 'cancelled'],
  ['cancelling', 'fail', 'cancelled'],
  ['completed', 'runForReal', 'queued'],
  ['completed', 'rollback', 'rolling_back'],
  ['failed', 'retry', 'queued'],
  ['failed', 'rollback', 'rolling_back'],
  ['cancelled', 'rollback', 'rolling_back'],
  ['rolling_back', 'rollback', 'rolling_back'],
  ['rolling_back', 'rolledBack', 'rolled_back'],
];

describe('import lifecycle', () => {
  const allowed = new Map(ALLOWED.map(([from, event, to]) => [`${from}/${event}`, to]));

  for (const from of IMPORT_STATUSES) {
    for (const event of IMPORT_EVENTS) {
      const expected = allowed.get(`${from}/${event}`) ?? null;
      it(`${from} --${event}--> ${expected ?? 'refused'}`, () => {
        expect(nextStatus(from, event)).toBe(expected);
      });
    }
  }

  it('leaves rolled_back by no event: a rolled-back import is final', () => {
    expect(IMPORT_EVENTS.map((e) => nextStatus('rolled_back', e)).filter(Boolean)).toEqual([]);
  });

  it('refuses with a sentence that names the state and the states that would allow it', () => {
    expect(refusal('imp_1', 'queued', 'retry')).toBe(
      'Cannot retry import imp_1: it is queued (only an import that is failed can be).',
    );
    expect(refusal('imp_1', 'running', 'rollback')).toBe(
      'Cannot roll back import imp_1: it is running (only an import that is completed, failed, cancelled or rolling back can be).',
    );
  });

  it('tells endings (announced) from settled states (nothing moves them by itself)', () => {
    expect(IMPORT_STATUSES.filter(isEnding)).toEqual(['completed', 'failed', 'cancelled']);
    expect(IMPORT_STATUSES.filter(isTerminal)).toEqual(['completed', 'failed', 'cancelled', 'rolled_back']);
  });
});
