import { isZipFile } from '../../core/parse/file-sniffer';

/** What an attachment is for the email door, decided by its name and its bytes, never its Content-Type. */
export type PartKind = 'csv' | 'message' | 'tnef' | 'ignore';

/**
 * Spreadsheet-ish names go on to the engine, which reads CSV and Excel workbooks and explains the
 * rest (an .xls or .ods: "save it as .xlsx or CSV").
 */
const IMPORTABLE = new Set(['csv', 'tsv', 'xls', 'xlsx', 'xlsm', 'ods', 'numbers']);
/** Names that say nothing about the content: look at the bytes. */
const UNKNOWN = new Set(['', 'txt', 'dat', 'bin', 'tmp']);

export function extensionOf(fileName: string): string {
  const m = /\.([a-z0-9]{1,10})$/i.exec(fileName.trim());
  return m ? m[1]!.toLowerCase() : '';
}

export function classifyPart(fileName: string, contentType: string, head: Buffer): PartKind {
  const name = fileName.trim().toLowerCase();
  const ext = extensionOf(name);
  // Structural types, not the CSV guess: an attached message is opened, Outlook's rich text explained.
  if (name === 'winmail.dat' || /ms-tnef/i.test(contentType)) return 'tnef';
  if (ext === 'eml' || /^message\/rfc822/i.test(contentType)) return 'message';
  if (IMPORTABLE.has(ext)) return 'csv';
  if (looksLikeWorkbook(head)) return 'csv';
  if (UNKNOWN.has(ext) && looksLikeCsv(head)) return 'csv';
  return 'ignore';
}

/**
 * An Excel workbook whatever its name: a ZIP whose first parts are named under `xl/` (a Word or
 * PowerPoint file has `word/`, `ppt/`). The engine then reads its table of contents to be sure.
 */
export function looksLikeWorkbook(head: Buffer): boolean {
  return isZipFile(head) && head.includes('xl/');
}

/** Text (UTF-8, Windows-1252 or UTF-16 with BOM) whose first two lines share a delimiter. */
export function looksLikeCsv(head: Buffer): boolean {
  let text: string;
  if (head[0] === 0xff && head[1] === 0xfe) text = head.subarray(2).toString('utf16le');
  else if (head[0] === 0xfe && head[1] === 0xff) {
    const even = head.subarray(2, 2 + ((head.length - 2) & ~1));
    text = Buffer.from(even).swap16().toString('utf16le');
  } else if (head.includes(0)) return false;
  else text = head.toString('latin1');
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 2);
  if (lines.length < 2) return false;
  return [',', ';', '\t', '|'].some((d) => lines.every((l) => l.split(d).length > 1));
}
