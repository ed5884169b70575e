import type { ReasonCount, TopReasons } from '../../core/report/report-reasons';
import { rollbackSentence } from '../../core/report/rollback-sentence';
import type { ImportAct, ImportCounts, RollbackSummary } from '../imports/import.schema';
import type { ImportView } from '../imports/import-view';
import { summaryOf } from './import-summary';
import type { Offer } from './offers';

/** The rows no kind of the top ones covers, so the reasons add up to the count they explain. */
export const OTHER_REASONS = 'other reasons';

/** How an import ended (or was undone), told the same way by every door. */
export interface Outcome {
  kind: 'dry_run' | 'completed' | 'cancelled' | 'expired' | 'failed' | 'rolled_back';
  importId: string;
  fileName: string;
  dryRun: boolean;
  counts: ImportCounts;
  /** One line, the same words in every door (each adds its own emphasis). */
  headline: string;
  /** Why rows were skipped: the top kinds and, when they do not cover all, the other reasons; adds up to `counts.skipped`. */
  skipped: ReasonCount[];
  /** What the flagged rows were flagged for (a row may have several warnings). */
  flagged: ReasonCount[];
  /** The reasons were counted over the first rows of the report only. */
  sampled: boolean;
  /** What undoing it did: records deleted, restored and kept. */
  undo: RollbackSummary | null;
  /** The person who acted last on it, and through which door. */
  lastAct: ImportAct | null;
  /** What may be done next. */
  offers: Offer[];
}

const n = (x: number) => x.toLocaleString('en-US');

/** The skipped rows' reasons, completed so that they add up to the skipped count. */
export function addingUp(top: readonly ReasonCount[], total: number): ReasonCount[] {
  const lines = top.filter((r) => r.rows > 0);
  const covered = lines.reduce((sum, r) => sum + r.rows, 0);
  if (covered < total) lines.push({ reason: OTHER_REASONS, rows: total - covered });
  return lines;
}

function headline(v: ImportView, kind: Outcome['kind'], failure: string | undefined): string {
  const c = v.counts;
  const file = v.fileName;
  switch (kind) {
    case 'dry_run':
      return (
        `Dry run of ${file} finished; nothing was written. It would import ${n(c.imported)}, update ` +
        `${n(c.updated)}, leave ${n(c.unchanged)} unchanged and skip ${n(c.skipped)} of ${n(c.total)} rows ` +
        `(${n(c.flagged)} flagged). Run it for real to write them.`
      );
    case 'completed':
      return (
        `Import of ${file} finished: ${n(c.total)} rows read, ${n(c.imported)} imported, ${n(c.updated)} ` +
        `updated, ${n(c.unchanged)} unchanged, ${n(c.skipped)} skipped, ${n(c.flagged)} flagged.`
      );
    case 'failed':
      return (
        `Import of ${file} failed${v.error?.row ? ` at row ${v.error.row}` : ''}: ${failure ?? 'unknown error'} ` +
        `Before it stopped: ${n(c.imported)} imported, ${n(c.updated)} updated, ${n(c.skipped)} skipped.`
      );
    case 'expired':
      return `Import of ${file} expired. ${failure ?? ''} To import it, send the file again.`;
    case 'rolled_back':
      return `Import of ${file} undone: ${rollbackSentence(v.rollback ?? { deleted: 0, restored: 0, kept: 0 })}.`;
    case 'cancelled':
      return c.total
        ? `Import of ${file} cancelled. Before it stopped, ${n(c.total)} rows were read: ${n(c.imported)} ` +
            `imported, ${n(c.updated)} updated, ${n(c.unchanged)} unchanged, ${n(c.skipped)} skipped, ` +
            `${n(c.flagged)} flagged.`
        : `Import of ${file} cancelled. Nothing was imported.`;
  }
}

/** How the import ended, with what may be done next; `reasons` from the report when it has rows. */
export function outcomeOf(v: ImportView, reasons?: TopReasons): Outcome {
  const summary = summaryOf(v);
  const kind: Outcome['kind'] = v.status === 'rolled_back' ? 'rolled_back' : summary.outcome;
  return {
    kind,
    importId: v.id,
    fileName: v.fileName,
    dryRun: v.dryRun,
    counts: v.counts,
    headline: headline(v, kind, summary.failure),
    skipped: v.counts.skipped ? addingUp(reasons?.skipped ?? [], v.counts.skipped) : [],
    flagged: reasons?.flagged ?? [],
    sampled: reasons?.sampled ?? false,
    undo: v.rollback,
    lastAct: v.history[v.history.length - 1] ?? null,
    offers: v.actions,
  };
}
