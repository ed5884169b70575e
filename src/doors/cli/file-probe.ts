import { createReadStream } from 'node:fs';
import type { AppConfig } from '../../config/app-config';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { FieldKey, missingRequired } from '../../core/field-catalog';
import { IntakeError } from '../../core/intake-error';
import { ColumnSuggestion, guessType, suggestMapping } from '../../core/mapping/mapping-suggester';
import { ByteInspector, FileLayout, isZipFile, sniffLayout } from '../../core/parse/file-sniffer';
import { sniffWorkbook } from '../../core/parse/workbook-source';
import { localFileSource } from '../../engine/storage/local-file-source';
import { fitLayout } from '../../core/parse/table-width';
import { RecordType } from '../../core/record-type';

export interface SuggestOutput {
  type: RecordType;
  encoding: string;
  delimiter: string;
  /** For a workbook: the sheet read and every sheet's name. */
  sheet?: string;
  sheets?: string[];
  /** Each column's field, how sure, why ("header", "values", "header+values", "learned", "report") and any warning. */
  columns: ColumnSuggestion[];
  missingRequired: FieldKey[];
}

/**
 * Sniffs a local file's layout: a workbook (by content) through its ZIP directory, `sheet` or the
 * first visible sheet with data; a CSV read once, validating UTF-8 as it goes and keeping only its head.
 */
export async function probeFile(
  path: string,
  limits: AppConfig['limits'],
  sheet?: string,
): Promise<{ layout: FileLayout; bytes: number }> {
  const { maxFileBytes: maxBytes, maxColumns } = limits;
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new IntakeError('invalid_request', `No such file: ${path}`);
  if (info.size > maxBytes) {
    throw new IntakeError(
      'file_too_large',
      `The file is larger than the ${Math.round(maxBytes / 1048576)} MB limit. Split it into smaller files.`,
    );
  }
  const inspector = new ByteInspector();
  await pipeline(createReadStream(path), inspector, new Writable({ write: (_c, _e, done) => done() }));
  if (isZipFile(inspector.head)) {
    const opts = { sheet, maxCells: maxColumns + 1, limits: limits.workbook };
    const layout = await sniffWorkbook(localFileSource(path, inspector.bytes), opts);
    return {
      layout: fitLayout(layout, maxColumns, layout.headers.length > maxColumns),
      bytes: inspector.bytes,
    };
  }
  const truncated = inspector.bytes > inspector.head.length;
  const layout = sniffLayout(inspector.head, { utf8Valid: inspector.utf8Valid, truncated });
  return { layout: fitLayout(layout, maxColumns, truncated), bytes: inspector.bytes };
}

export function suggestFor(
  layout: FileLayout,
  type: RecordType | undefined,
  learned?: (t: RecordType) => ReadonlyMap<string, FieldKey | null>,
): SuggestOutput {
  const t = type ?? guessType(layout.headers, layout.samples);
  const columns = suggestMapping(t, layout.headers, layout.samples, learned?.(t));
  return {
    type: t,
    encoding: layout.encoding,
    delimiter: layout.delimiter,
    ...(layout.workbook ? { sheet: layout.workbook.sheet, sheets: layout.workbook.sheets } : {}),
    columns: columns.map(({ index, header, field, confidence, reason, warning }) =>
      warning === undefined
        ? { index, header, field, confidence, reason }
        : { index, header, field, confidence, reason, warning },
    ),
    missingRequired: missingRequired(
      t,
      columns.map((c) => c.field),
    ),
  };
}
