import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { FieldKey, missingRequired } from '../../core/field-catalog';
import { IntakeError } from '../../core/intake-error';
import { ColumnSuggestion, guessType, suggestMapping } from '../../core/mapping/mapping-suggester';
import { ByteInspector, FileLayout, sniffLayout } from '../../core/parse/file-sniffer';
import { fitLayout } from '../../core/parse/table-width';
import { RecordType } from '../../core/record-type';

export interface SuggestOutput {
  type: RecordType;
  encoding: string;
  delimiter: string;
  /** Each column's field, how sure, why ("header", "values", "header+values", "learned", "report") and any warning. */
  columns: ColumnSuggestion[];
  missingRequired: FieldKey[];
}

/** Reads a local file once (validating UTF-8 as it goes, keeping only its head) and sniffs its layout. */
export async function probeFile(
  path: string,
  maxBytes: number,
  maxColumns: number,
): Promise<{ layout: FileLayout; bytes: number }> {
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
