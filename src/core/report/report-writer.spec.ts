import { reportHeader, reportLine } from './report-writer';

describe('the report', () => {
  it('starts with its own columns row, reason and outcome, then the file columns', () => {
    expect(reportHeader(['Name', '=Email'])).toBe("row,reason,outcome,Name,'=Email\n");
  });
  it('names the outcome: skipped, or imported with warning for a flagged row', () => {
    expect(reportLine(3, 'invalid email "x"', 'skipped', ['Bo'])).toBe(
      '3,"invalid email ""x""",skipped,Bo\n',
    );
    expect(reportLine(4, 'phone "+1" could not be parsed', 'flagged', ['+1'])).toBe(
      `4,"phone ""+1"" could not be parsed",imported with warning,'+1\n`,
    );
  });
});
