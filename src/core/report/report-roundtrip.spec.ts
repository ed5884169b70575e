import { suggestMapping } from '../mapping/mapping-suggester';
import { compileMapping, validateRow } from '../validate/row-validator';
import { reportHeader, reportLine } from './report-writer';
import { reportColumnsIn, unguardCell } from './report-roundtrip';

describe('a report sent back', () => {
  it('is recognised by its own first columns', () => {
    expect(reportColumnsIn(['row', 'reason', 'outcome', 'Email'])).toBe(3);
    expect(reportColumnsIn([' Row', 'REASON', 'Email'])).toBe(2);
    expect(reportColumnsIn(['Email', 'row', 'reason', 'outcome'])).toBe(0);
    expect(reportColumnsIn(['row', 'Email'])).toBe(0);
    // A workbook's report names the sheet in its row column.
    expect(reportColumnsIn(['row (sheet: Clients)', 'reason', 'outcome', 'Email'])).toBe(3);
  });

  it('gets back the values the report guarded against formulas', () => {
    const line = reportLine(2, 'r', 'skipped', ['+1 312 555 0177', '=1+2', "'quoted", '-']);
    const cells = line.trim().split(',').slice(3);
    expect(cells.map(unguardCell)).toEqual(['+1 312 555 0177', '=1+2', "'quoted", '-']);
    expect(reportColumnsIn(reportHeader(['Phone']).trim().split(','))).toBe(3);
  });
});

describe('importing a report sent back', () => {
  const headers = ['row', 'reason', 'outcome', 'First Name', 'Email', 'Phone', 'Notes'];

  it('leaves the report columns out of the suggested mapping, and maps the file columns', () => {
    const samples = [['3', 'invalid email "x"', 'skipped', 'Bo', 'bo@example.com', "'+1 312 555 0177", 'x']];
    const fields = suggestMapping('clients', headers, samples).map((c) => [c.header, c.field, c.reason]);
    expect(fields.slice(0, 3)).toEqual([
      ['row', null, 'report'],
      ['reason', null, 'report'],
      ['outcome', null, 'report'],
    ]);
    expect(fields.slice(3).map((f) => f[1])).toEqual(['firstName', 'email', 'phone', 'notes']);
  });

  it('imports the values without the apostrophe the report added', () => {
    const mapping = compileMapping(
      'clients',
      headers.length,
      [
        { index: 3, field: 'firstName' },
        { index: 4, field: 'email' },
        { index: 5, field: 'phone' },
        { index: 6, field: 'notes' },
      ],
      true,
    );
    const row = validateRow(
      ['3', 'r', 'skipped', 'Bo', 'bo@example.com', "'+1 312 555 0177", "'=1+2"],
      mapping,
      'US',
    );
    expect(row).toMatchObject({
      ok: true,
      fields: { phone: '+1 312 555 0177', notes: '=1+2' },
      warnings: [],
    });
  });

  it('keeps an apostrophe in any other file', () => {
    const mapping = compileMapping('clients', 3, [
      { index: 0, field: 'firstName' },
      { index: 1, field: 'email' },
      { index: 2, field: 'notes' },
    ]);
    expect(validateRow(['Bo', 'bo@example.com', "'=1+2"], mapping, 'US')).toMatchObject({
      fields: { notes: "'=1+2" },
    });
  });
});
