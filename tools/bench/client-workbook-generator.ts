import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { createReadStream } from 'node:fs';

/**
 * The bench's workbook: the rows of a generated client CSV written as one sheet of an .xlsx with
 * shared strings, as Excel saves it, streamed (the writer never holds the rows).
 */
export async function writeClientsWorkbook(csvPath: string, xlsxPath: string): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsxPath, useSharedStrings: true });
  const sheet = book.addWorksheet('Clients');
  const records = createReadStream(csvPath).pipe(parse({ relax_column_count: true }));
  for await (const cells of records as AsyncIterable<string[]>) sheet.addRow(cells).commit();
  sheet.commit();
  await book.commit();
}
