import { isTerminal } from '../../core/lifecycle/import-lifecycle';
import { targetLabel } from '../../core/custom-field';
import { reasonsText } from '../../core/report/report-reasons';
import type { TopReasons } from '../../core/report/report-reasons';
import { rollbackSentence } from '../../core/report/rollback-sentence';
import { fieldDef } from '../../core/field-catalog';
import type { ImportView } from '../../engine/imports/import-view';
import type { LearnedFrom } from '../../engine/imports/import.schema';
import type { ColumnSuggestion } from '../../core/mapping/mapping-suggester';
import type { SuggestOutput } from './file-probe';
import { nextStepLines } from './cli-next-steps';
import { addingUp } from '../../engine/conversation/outcome';

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

type TableColumn = Pick<ColumnSuggestion, 'header' | 'field' | 'confidence'> &
  Partial<Pick<ColumnSuggestion, 'reason' | 'warning'>> & { learnedFrom?: LearnedFrom };

/** Where a learned suggestion came from, and the command that forgets it. */
export function learnedLine(type: string, header: string, from: LearnedFrom): string {
  const day = new Date(from.at).toISOString().slice(0, 10);
  const source = from.importId
    ? `${from.fileName ?? 'a file'} (import ${from.importId}, ${day})`
    : `an import (${day})`;
  return `learned from ${source}; forget it: intake mappings forget ${type} ${JSON.stringify(header)}`;
}

function mappingTable(columns: readonly TableColumn[], type?: string): string {
  const width = Math.min(40, Math.max(6, ...columns.map((c) => c.header.length)));
  const lines = columns.map((c) => {
    const target = c.field ? `${targetLabel(c.field)} (${c.field})` : "— don't import";
    const why = c.field && c.reason ? `  (${c.reason})` : '';
    const line = `  ${pad(c.header, width)}  →  ${pad(target, 28)} ${Math.round(c.confidence * 100)}%${why}`;
    const learned = type && c.learnedFrom ? `\n    ${learnedLine(type, c.header, c.learnedFrom)}` : '';
    return c.warning && c.field ? `${line}${learned}\n    ! ${c.warning}` : `${line}${learned}`;
  });
  return `${lines.join('\n')}\n`;
}

function missingLine(missing: readonly string[]): string {
  return missing.length
    ? `Required fields not mapped: ${missing.map((k) => fieldDef(k as never).label).join(', ')}\n`
    : 'All required fields are mapped.\n';
}

/** The sheet read and the others to choose from with --sheet. */
function sheetLine(sheet: string | null | undefined, sheets: readonly string[] | undefined): string {
  if (!sheet) return '';
  const others = (sheets ?? []).filter((s) => s !== sheet);
  const choose = others.length ? `   (other sheets: ${others.join(', ')}; choose with --sheet NAME|N)` : '';
  return `Sheet: ${sheet}${choose}\n`;
}

export function formatSuggestion(s: SuggestOutput): string {
  const delimiter = s.delimiter === '\t' ? 'tab' : s.delimiter;
  const head = s.sheet
    ? `Type: ${s.type}   ${sheetLine(s.sheet, s.sheets)}`
    : `Type: ${s.type}   Encoding: ${s.encoding}   Delimiter: ${delimiter}\n`;
  return `${head}${mappingTable(s.columns)}${missingLine(s.missingRequired)}`;
}

export function formatMapping(view: ImportView): string {
  return `${view.fileName} as ${view.type}:\n${sheetLine(view.sheet, view.sheets)}${mappingTable(view.columns, view.type)}${missingLine(view.missingRequired)}`;
}

/** `where` names the workspace and database the import belongs to (see whereLine). */
export function formatSummary(
  view: ImportView,
  report: string | null,
  reasons?: TopReasons,
  where?: string,
): string {
  const c = view.counts;
  const [imported, updated, skipped] = view.dryRun
    ? ['would import', 'would update', 'would skip']
    : ['imported', 'updated', 'skipped'];
  const lines = [
    `Import ${view.id} ${view.status}${view.waiting ? ` (${view.waiting})` : ''}${view.dryRun ? ' (dry run: nothing was written)' : ''}`,
    ...(where ? [`  ${where}`] : []),
    `  total ${c.total}, ${imported} ${c.imported}, ${updated} ${c.updated}, unchanged ${c.unchanged}, ${skipped} ${c.skipped}, flagged ${c.flagged}`,
  ];
  if (c.companiesCreated || c.companiesLinked)
    lines.push(`  companies created ${c.companiesCreated ?? 0}, contacts linked ${c.companiesLinked ?? 0}`);
  if (view.error) lines.push(`  ${view.error.message}${view.error.row ? ` (row ${view.error.row})` : ''}`);
  if (c.skipped && reasons) lines.push(`  skipped: ${reasonsText(addingUp(reasons.skipped, c.skipped))}`);
  if (c.flagged && reasons?.flagged.length)
    lines.push(`  flagged (imported with a warning): ${reasonsText(reasons.flagged)}`);
  if (report) lines.push(`  Rows to look at (skipped or imported with a warning): ${report}`);
  if (view.rollback) lines.push(`  Rolled back: ${rollbackSentence(view.rollback)}`);
  lines.push(...nextStepLines(view));
  return `${lines.join('\n')}\n`;
}

/**
 * Where the progress bar stands: rows read against the estimate from the file's size while the import
 * runs; once it has ended, the rows really read are the whole bar (a 10-row file ends at "10 rows", 100%).
 */
export function barPosition(
  view: Pick<ImportView, 'status' | 'counts'>,
  estimate: number,
): { value: number; total: number } {
  const read = view.counts.total;
  if (isTerminal(view.status)) return { value: read, total: Math.max(1, read) };
  return { value: read, total: Math.max(estimate, read + 1) };
}
