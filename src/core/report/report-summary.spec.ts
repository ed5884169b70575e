import { ReportSummaryTally, summaryHeader, summaryLine } from './report-summary';

test('counts rows per outcome and kind of reason, most frequent first, skipped before flagged', () => {
  const tally = new ReportSummaryTally();
  tally.add('skipped', 'invalid email "a@"');
  tally.add('skipped', 'invalid email "b@"');
  tally.add('skipped', 'duplicate of row 2');
  tally.add('flagged', 'phone "12" could not be parsed');
  expect(tally.lines()).toEqual([
    { outcome: 'skipped', reason: 'invalid email', rows: 2 },
    { outcome: 'skipped', reason: 'duplicate of row N', rows: 1 },
    { outcome: 'flagged', reason: 'phone could not be parsed', rows: 1 },
  ]);
});

test('renders as CSV with a header, neutralizing formula-like reasons', () => {
  expect(summaryHeader()).toBe('reason,outcome,rows\n');
  expect(summaryLine({ outcome: 'flagged', reason: '=cmd', rows: 3 })).toBe(
    "'=cmd,imported with warning,3\n",
  );
});
