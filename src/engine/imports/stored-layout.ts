import type { AppConfig } from '../../config/app-config';
import { IntakeError } from '../../core/intake-error';
import { FileLayout, isZipFile, sniffLayout } from '../../core/parse/file-sniffer';
import { fitLayout } from '../../core/parse/table-width';
import { sniffWorkbook } from '../../core/parse/workbook-source';
import type { ByteSource } from '../../core/parse/zip-reader';
import type { FileStore, SpooledFile } from '../storage/file-store';

/** A workbook's layout when reading `sheet` (by default the first visible sheet with data). */
export async function sniffSheet(
  source: ByteSource,
  limits: AppConfig['limits'],
  sheet?: string,
): Promise<FileLayout> {
  const layout = await sniffWorkbook(source, {
    sheet: sheet?.trim() || undefined,
    maxCells: limits.maxColumns + 1,
    limits: limits.workbook,
  });
  return fitLayout(layout, limits.maxColumns, layout.headers.length > limits.maxColumns);
}

/**
 * How to read a received file: a ZIP is read as an Excel workbook (its sheet `sheet`, or the first
 * visible one holding data), anything else as CSV text from its first bytes.
 */
export async function sniffReceived(
  files: FileStore,
  file: SpooledFile,
  limits: AppConfig['limits'],
  sheet?: string,
): Promise<FileLayout> {
  if (isZipFile(file.head)) return sniffSheet(files.spooledSource(file), limits, sheet);
  if (sheet?.trim()) {
    throw noSheets();
  }
  const truncated = file.bytes > file.head.length;
  const layout = sniffLayout(file.head, { utf8Valid: file.utf8Valid, truncated });
  return fitLayout(layout, limits.maxColumns, truncated);
}

export function noSheets(): IntakeError {
  return new IntakeError(
    'unknown_sheet',
    'This is a CSV file, which has no sheets: choose a sheet only for an Excel workbook.',
  );
}
