import { daysBefore, expiryReason, fileDeletedRefusal, isExpired, retentionSummary } from './retention';

describe('retention', () => {
  it('counts whole days back from now', () => {
    expect(daysBefore(new Date('2026-11-30T12:00:00Z'), 7).toISOString()).toBe('2026-11-23T12:00:00.000Z');
  });

  it('says why an import expired and why its file cannot be used again', () => {
    expect(expiryReason(7)).toBe(
      'Nobody confirmed the mapping within 7 days, so nothing was imported and the file was deleted.',
    );
    expect(expiryReason(1)).toContain('within 1 day,');
    expect(fileDeletedRefusal('imp_1', 30)).toBe(
      'The file of import imp_1 was deleted 30 days after the import ended; upload it again to import it.',
    );
  });

  it('tells an expiry from any other ending', () => {
    expect(isExpired({ code: 'expired' })).toBe(true);
    expect(isExpired({ code: 'internal' })).toBe(false);
    expect(isExpired(null)).toBe(false);
  });

  it('logs what one sweep did as counts', () => {
    expect(
      retentionSummary({ filesDeleted: 12, importsExpired: 1, mappingsDropped: 40, reportRowsDeleted: 1 }),
    ).toBe(
      'retention: 12 files deleted, 1 import expired, 40 learned mappings dropped, 1 report row deleted',
    );
  });
});
