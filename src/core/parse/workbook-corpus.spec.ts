import { agreeingCells, readGrid, WORKBOOK_CASES } from '../../../tools/fidelity/workbook-cases';
import { readWorkbookRows, sniffWorkbook } from './workbook-source';
import { bufferSource } from './zip-reader';

/**
 * The differential test of the workbook reader: workbooks shaped as each producer writes them, read
 * cell for cell and compared with the text Excel shows.
 */
const readers = { sniffWorkbook, readWorkbookRows, bufferSource };

test.each(WORKBOOK_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
  const got = await readGrid(await c.bytes(), readers);
  expect(got?.map((r, i) => c.expected[i]!.map((_, j) => r[j] ?? ''))).toEqual(c.expected);
  expect(agreeingCells(c.expected, got)).toEqual([c.expected.flat().length, c.expected.flat().length]);
});
