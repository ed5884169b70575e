import { DRY_RUN_START_MESSAGE, ImportView, START_MESSAGE } from '../../engine/imports/import-view';
import { summaryOf } from '../../engine/conversation/import-summary';
import { ReasonCount, reasonsText } from '../../core/report/report-reasons';
import { addingUp } from '../../engine/conversation/outcome';
import type { TopReasons } from '../../core/report/report-reasons';
import { esc, MailBody, plainBody } from './mail-body';
import { replyOffers } from './mail-offers';

/** The answer to a reply that started the import (or its dry run). */
export function startedBody(dryRun = false): MailBody {
  const line = dryRun ? DRY_RUN_START_MESSAGE : START_MESSAGE;
  return { text: `${line}\n`, html: `<p>${esc(line)}</p>` };
}

/** The end of an import: counts with their top reasons, and the report when rows need a look. */
/** `reportCut` says the attached report holds only its first rows, and where the whole one is. */
export function summaryBody(v: ImportView, reasons?: TopReasons, reportCut?: string): MailBody {
  const s = summaryOf(v);
  const c = s.counts;
  const head = {
    dry_run: `Dry run of ${s.fileName} finished: nothing was written. This is what the import would do:`,
    completed: `Import of ${s.fileName} finished.`,
    cancelled: `Import of ${s.fileName} was cancelled.`,
    expired: `Import of ${s.fileName} expired. ${s.failure} To import it, send the file again.`,
    failed: `Import of ${s.fileName} failed: ${s.failure}`,
  }[s.outcome];
  // Nothing ran: there are no counts to tell.
  if (s.outcome === 'expired') return plainBody([head]);
  const verb = v.dryRun ? 'would be ' : '';
  const why = (list: ReasonCount[] | undefined) => (list?.length ? ` — ${reasonsText(list)}` : '');
  const counts = [
    `Rows read:  ${c.total}`,
    `Imported:   ${c.imported}${v.dryRun ? ' (would be)' : ''}`,
    `Updated:    ${c.updated}${v.dryRun ? ' (would be)' : ''}`,
    `Unchanged:  ${c.unchanged ?? 0} (existing records the file would not change)`,
    `Skipped:    ${c.skipped}${c.skipped && reasons ? why(addingUp(reasons.skipped, c.skipped)) : ''}`,
    `Flagged:    ${c.flagged} (${verb}imported with warnings)${c.flagged ? why(reasons?.flagged) : ''}`,
    ...(c.companiesCreated || c.companiesLinked
      ? [`Companies:  ${c.companiesCreated ?? 0} created, ${c.companiesLinked ?? 0} contacts linked`]
      : []),
  ].join('\n');
  const report = s.withReport
    ? `The attached report (${s.reportName}) lists each skipped row and each row ${verb}imported with a ` +
      'warning: its outcome, the reason and its original values. Fix the rows there and send it back ' +
      "to import them; the report's own columns are left out." +
      (reportCut ? ` ${reportCut}` : '')
    : 'No rows were skipped or flagged.';
  const lines = [head, counts, report];
  lines.push(...replyOffers(v));
  return plainBody(lines);
}
