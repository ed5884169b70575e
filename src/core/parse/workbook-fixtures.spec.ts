import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceRow } from './row-source';
import { readWorkbookRows, sniffWorkbook } from './workbook-source';
import { bufferSource } from './zip-reader';

const FIXTURES = join(__dirname, '../../../test/fixtures/xlsx');

async function read(name: string) {
  const src = bufferSource(readFileSync(join(FIXTURES, name)));
  const layout = await sniffWorkbook(src, { maxCells: 501 });
  const rows: SourceRow[] = [];
  for await (const r of readWorkbookRows(src, layout)) rows.push(r);
  return { layout, rows };
}

describe('workbooks shaped like real exports', () => {
  it('reads an OpenXML SDK report: prefixes, inline strings, no cell references, 1904 dates', async () => {
    const { layout, rows } = await read('openxml-sdk-report.xlsx');
    expect([layout.workbook?.sheet, layout.headerLine, layout.headers]).toEqual([
      'Report',
      2,
      ['Full Name', 'Email', 'Mobile', 'Created'],
    ]);
    expect(rows).toEqual([
      { kind: 'row', row: 3, cells: ['Ana García', 'ana@example.com', '34612345678', '2024-03-04'] },
      { kind: 'row', row: 5, cells: ['Bo & Co', 'bo@example.com', '4155550100', '2024-03-04'] },
    ]);
  });

  it('reads a workbook as Excel saves it: hidden sheet skipped, shared strings after the sheets', async () => {
    const { layout, rows } = await read('excel-saved-leads.xlsx');
    expect(layout.workbook).toMatchObject({ sheet: 'Leads Q1', sheets: ['Old', 'Leads Q1'] });
    expect([layout.headerLine, layout.headers]).toEqual([3, ['Name', 'Email', 'Score', 'Active', 'Company']]);
    expect(rows).toEqual([
      { kind: 'row', row: 4, cells: ['Kenji Sato', 'kenji@example.jp', '25%', 'TRUE', 'ACME', 'Acme'] },
      { kind: 'row', row: 6, cells: ['Lu', 'Email', '#N/A', 'FALSE'] },
    ]);
  });
});
