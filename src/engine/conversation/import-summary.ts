import { isExpired } from '../../core/lifecycle/retention';
import type { ImportCounts } from '../imports/import.schema';
import type { ImportView } from '../imports/import-view';

/** How an import ended, as both doors tell it (each in its own words and format). */
export interface ImportSummary {
  outcome: 'dry_run' | 'completed' | 'cancelled' | 'expired' | 'failed';
  fileName: string;
  counts: ImportCounts;
  /** Why it failed, for a failed import; why it expired, for an expired one. */
  failure?: string;
  /** The report (skipped rows and rows imported with a warning) goes with the summary. */
  withReport: boolean;
  /** A finished dry run can be run for real from the summary. */
  offerRealRun: boolean;
  /** The report's file name, the same in Slack and email: named after the file, not an id. */
  reportName: string;
}

export function summaryOf(v: ImportView): ImportSummary {
  const outcome =
    v.status === 'completed'
      ? v.dryRun
        ? 'dry_run'
        : 'completed'
      : v.status === 'cancelled'
        ? isExpired(v.error)
          ? 'expired'
          : 'cancelled'
        : 'failed';
  return {
    outcome,
    fileName: v.fileName,
    counts: v.counts,
    failure:
      outcome === 'failed' || outcome === 'expired' ? (v.error?.message ?? 'unknown error') : undefined,
    withReport: v.counts.skipped + v.counts.flagged > 0,
    offerRealRun: outcome === 'dry_run',
    reportName: `skipped-rows-${safeStem(v.fileName)}${v.dryRun ? '-dry-run' : ''}.csv`,
  };
}

/** A file name's stem, safe in any attachment name: letters, digits, `_` and `-`. */
function safeStem(fileName: string): string {
  return (
    fileName
      .replace(/\.[^.]*$/, '')
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .slice(0, 60) || 'import'
  );
}
