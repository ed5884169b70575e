/** How much of a report an attachment holds: its rows, and whether it was cut short. */
export interface ReportExtent {
  rows: number;
  bytes: number;
  cut: boolean;
}

/**
 * The report's lines (its header first, then one line per row) up to `maxBytes` of UTF-8, cut at a line:
 * a Slack upload or a mail attachment stays bounded however many rows were skipped, and the whole
 * report stays available where it is streamed (the API and the CLI). `extent` says what was kept. Ending
 * early closes `lines`, so the reading behind it stops too.
 */
export async function* boundedReport(
  lines: AsyncIterable<string>,
  maxBytes: number,
  extent: ReportExtent = { rows: 0, bytes: 0, cut: false },
): AsyncGenerator<string> {
  let header = true;
  for await (const line of lines) {
    const size = Buffer.byteLength(line, 'utf8');
    if (!header && extent.bytes + size > maxBytes) {
      extent.cut = true;
      return;
    }
    extent.bytes += size;
    if (!header) extent.rows++;
    header = false;
    yield line;
  }
}

/** Reads a report as `boundedReport` would cut it, keeping nothing: what an attachment will hold. */
export async function reportExtent(lines: AsyncIterable<string>, maxBytes: number): Promise<ReportExtent> {
  const extent: ReportExtent = { rows: 0, bytes: 0, cut: false };
  for await (const _ of boundedReport(lines, maxBytes, extent));
  return extent;
}

/** The sentence that says an attachment holds only the first rows, and where the whole report is. */
export function cutReportNote(extent: ReportExtent, totalRows: number, importId: string): string {
  const mb = (extent.bytes / (1024 * 1024)).toFixed(1);
  return (
    `The report is too large to attach whole: it holds the first ${extent.rows} of ${totalRows} rows ` +
    `(${mb} MB). The whole report: \`intake report ${importId}\` or GET /imports/${importId}/report.`
  );
}
