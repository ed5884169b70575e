import ExcelJS from 'exceljs';

/** A workbook built with exceljs, as bytes. */
export async function workbookBytes(build: (book: ExcelJS.Workbook) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  build(book);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * Two sheets as people keep them: "Leads" first (a few rows), then "Clients" with a merged title row
 * above its header, phones typed as numbers, a formula, a date, a blank row and one bad email (row 6).
 */
export function twoSheetBook(date1904 = false): Promise<Buffer> {
  return workbookBytes((book) => {
    book.properties.date1904 = date1904;
    book.addWorksheet('Leads').addRows([
      ['Full Name', 'Email'],
      ['Lee Park', 'lee@example.com'],
    ]);
    const sheet = book.addWorksheet('Clients');
    sheet.getCell('A1').value = 'Clients, exported 2024-03-05';
    sheet.mergeCells('A1:D1');
    sheet.addRow(['First Name', 'Email', 'Phone', 'Notes']);
    sheet.addRow(['Ana', 'ana@example.com', 14155550123, new Date(Date.UTC(2024, 2, 5))]);
    sheet.addRow([
      { richText: [{ text: 'B' }, { text: 'o', font: { bold: true } }] },
      { text: 'bo@example.com', hyperlink: 'mailto:bo@example.com' },
      { formula: '4155550100+1', result: 4155550101 },
      'plain',
    ]);
    sheet.addRow([]);
    sheet.addRow(['Cy', 'not-an-email', 4155550102, 'bad']);
    sheet.getCell('D3').numFmt = 'yyyy-mm-dd';
  });
}
