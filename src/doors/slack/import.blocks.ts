import { DRY_RUN_START_MESSAGE, START_MESSAGE } from '../../engine/imports/import-view';
import type { ImportView } from '../../engine/imports/import-view';
import {
  SlackMessage,
  clip,
  context,
  count,
  esc,
  literal,
  mrkdwnSection,
} from '../../protocols/slack/block-kit';
import type { KnownBlock } from '../../protocols/slack/block-kit';
import { importBlockId } from './slack-ids';
import { reasonsText } from '../../core/report/report-reasons';
import { outcomeOf } from '../../engine/conversation/outcome';
import type { Outcome } from '../../engine/conversation/outcome';
import type { TopReasons } from '../../core/report/report-reasons';
import type { OfferKind } from '../../engine/conversation/offers';
import { offerElements, offers } from './offer.blocks';

const BAR_WIDTH = 20;

/** The acts a person does in the thread, each told with their name. */
export type ThreadAct = 'start' | 'dry_run' | 'run_for_real' | 'cancel' | 'retry';

const DID: Record<ThreadAct, string> = {
  start: 'started it',
  dry_run: 'started a dry run',
  run_for_real: 'started it for real',
  cancel: 'cancelled it',
  retry: 'retried it',
};

/** "<@U…> cancelled it": who did what, as Slack shows a person. */
export function byLine(user: string, act: ThreadAct): string {
  return `<@${user}> ${DID[act]}.`;
}

/**
 * Exactly the start sentence people are promised, as its own message (a dry run's own sentence for a
 * dry run), with who started it.
 */
export function startedMessage(
  user: string,
  act: 'start' | 'dry_run' | 'run_for_real' = 'start',
): SlackMessage {
  const sentence = act === 'dry_run' ? DRY_RUN_START_MESSAGE : START_MESSAGE;
  const emoji = act === 'dry_run' ? ':mag: ' : '';
  return { text: sentence, blocks: [mrkdwnSection(`${emoji}${sentence}`), context(byLine(user, act))] };
}

/** A person's act told in the thread: "<@U…> cancelled it." and what it means. */
export function actMessage(user: string, act: ThreadAct, detail = ''): SlackMessage {
  const text = `${byLine(user, act)}${detail ? ` ${detail}` : ''}`;
  const emoji = act === 'cancel' ? ':octagonal_sign:' : ':arrow_forward:';
  return { text, blocks: [mrkdwnSection(`${emoji} ${text}`)] };
}

/**
 * The file's row count is unknown until it has been read; estimate it from the file size and the
 * sample rows' length, and say it is an estimate.
 */
export function estimateRows(view: ImportView): number | null {
  const sampleRows = Math.max(0, ...view.columns.map((c) => c.samples.length));
  if (!sampleRows || !view.fileBytes) return null;
  let bytes = 0;
  for (let r = 0; r < sampleRows; r++) {
    bytes += view.columns.reduce((sum, c) => sum + Buffer.byteLength(c.samples[r] ?? ''), 0);
    bytes += view.columns.length; // delimiters and the line break
  }
  const headerBytes = view.columns.reduce((sum, c) => sum + Buffer.byteLength(c.header) + 1, 0);
  return Math.max(1, Math.round((view.fileBytes - headerBytes) / (bytes / sampleRows)));
}

export function progressBar(fraction: number): string {
  const f = Math.min(1, Math.max(0, fraction));
  const full = Math.round(f * BAR_WIDTH);
  return `${'▓'.repeat(full)}${'░'.repeat(BAR_WIDTH - full)}`;
}

function countsLine(view: ImportView): string {
  const c = view.counts;
  const verb = view.dryRun ? 'would be ' : '';
  return (
    `${count(c.total)} rows read: ${count(c.imported)} ${verb}imported, ${count(c.updated)} ${verb}updated, ` +
    `${count(c.unchanged)} unchanged, ${count(c.skipped)} ${verb}skipped (${count(c.flagged)} flagged)`
  );
}

/** " 3 companies created, 40 contacts linked to their company." when the import linked any. */
function companiesLine(c: ImportView['counts']): string {
  if (!c.companiesCreated && !c.companiesLinked) return '';
  return (
    ` ${count(c.companiesCreated ?? 0)} companies created, ` +
    `${count(c.companiesLinked ?? 0)} contacts linked to their company.`
  );
}

/** What a queued import waits for: its file, what its workspace's turns say, or else a worker. */
function queuedWhy(view: ImportView): string {
  if (view.fileStored === false) return ': storing the file first';
  return view.waiting ? ` (${view.waiting})` : ': waiting for a worker';
}

/** The one progress message, edited as the import runs; a Cancel button while it can still stop. */
export function progressMessage(view: ImportView, estimatedRows: number | null): SlackMessage {
  const label = view.dryRun ? 'Dry run' : 'Import';
  let line: string;
  if (view.status === 'queued') line = `${label} queued${queuedWhy(view)}…`;
  else if (view.status === 'running') {
    const rows = view.counts.total;
    const est = estimatedRows && Math.max(estimatedRows, rows);
    const pct = est ? Math.min(99, Math.floor((rows / est) * 100)) : 0;
    const bar = est ? `\`${progressBar(pct / 100)}\` about ${pct}% · ` : '';
    line = `${label} running: ${bar}${countsLine(view)}`;
  } else if (view.status === 'completed')
    line = `${label} finished: \`${progressBar(1)}\` 100% · ${countsLine(view)}`;
  else if (view.status === 'failed') line = `${label} failed · ${countsLine(view)}`;
  else if (view.status === 'cancelled') line = `${label} cancelled · ${countsLine(view)}`;
  else if (view.status === 'cancelling')
    line = `${label} cancelling: finishing the rows in flight · ${countsLine(view)}`;
  else line = `${label} ${view.status.replace('_', ' ')} · ${countsLine(view)}`;
  const blocks: KnownBlock[] = [mrkdwnSection(line, importBlockId('progress', view.id))];
  // While it runs, it can be stopped; what may be done once it ended is offered by the summary.
  const controls =
    view.status === 'queued' || view.status === 'running' ? offerElements(view, ['cancel']) : [];
  if (controls.length) blocks.push({ type: 'actions', elements: controls });
  return { text: line.replace(/`/g, ''), blocks };
}

/** Where each outcome's line starts. */
const EMOJI: Record<Outcome['kind'], string> = {
  dry_run: ':mag:',
  completed: ':white_check_mark:',
  failed: ':x:',
  expired: ':hourglass:',
  cancelled: ':octagonal_sign:',
  rolled_back: ':leftwards_arrow_with_hook:',
};

/** Offers told in the summary: those of the mapping and of the run have their own messages. */
const SUMMARY_OFFERS: readonly OfferKind[] = [
  'run_for_real',
  'retry',
  'undo',
  'update_existing',
  'download_report',
];

/** A file name as it may stand in a sentence that is escaped as a whole: one line, no formatting marks. */
function plainName(name: string): string {
  return clip(name.replace(/[\r\n\t]+/g, ' ').replace(/[`*_~]/g, ''), 120);
}

/**
 * The end of an import, as the conversation model tells it: the headline, why rows were skipped (the
 * reasons add up to the skipped count) and flagged, and the offers of what may be done next.
 */
export function summaryMessage(
  view: ImportView,
  reportAttached: boolean,
  reasons?: TopReasons,
  alreadyExist = 0,
): SlackMessage {
  const outcome = outcomeOf({ ...view, fileName: plainName(view.fileName) }, reasons);
  const c = view.counts;
  const why = [
    outcome.skipped.length ? `Skipped: ${esc(reasonsText(outcome.skipped))}.` : '',
    c.flagged ? flaggedLine(view, reasons) : '',
  ].filter(Boolean);
  const reportLine = reportAttached
    ? 'Each skipped row and each row imported with a warning is in the report below, with its outcome and reason.'
    : 'No rows were skipped or flagged.';
  const companies = outcome.kind === 'completed' ? companiesLine(c) : '';
  const text = `${esc(outcome.headline)}${companies}`;
  const told =
    outcome.kind === 'expired' || (outcome.kind === 'failed' && !reportAttached) ? [] : [...why, reportLine];
  const blocks: KnownBlock[] = [
    mrkdwnSection([`${EMOJI[outcome.kind]} ${text}`, ...told].join('\n'), importBlockId('summary', view.id)),
  ];
  if (offers(view, 'update_existing') && alreadyExist > 0) blocks.push(updateExistingLine(alreadyExist));
  const elements = offerElements(view, SUMMARY_OFFERS);
  if (elements.length) blocks.push({ type: 'actions', block_id: importBlockId('next', view.id), elements });
  if (offers(view, 'undo'))
    blocks.push(
      context(`Changed your mind? *Undo import* above, or \`undo ${view.id}\` with the slash command.`),
    );
  return { text: text.replace(/[`*]/g, ''), blocks };
}

/** What "flagged" means, with its top reasons when known: a large count should not alarm or puzzle. */
function flaggedLine(view: ImportView, reasons?: TopReasons): string {
  const n = view.counts.flagged;
  const were = view.dryRun ? 'would be' : n === 1 ? 'was' : 'were';
  const what = `Flagged: ${count(n)} ${n === 1 ? 'row' : 'rows'} ${were} imported with a warning, a value worth checking (kept as the file had it)`;
  return reasons?.flagged.length ? `${what}: ${esc(reasonsText(reasons.flagged))}.` : `${what}.`;
}

/** Rows skipped because their record already exists: the summary's button imports again, updating them. */
function updateExistingLine(alreadyExist: number): KnownBlock {
  const rows = alreadyExist === 1 ? '1 row was' : `${count(alreadyExist)} rows were`;
  return mrkdwnSection(
    `${rows} skipped because ${alreadyExist === 1 ? 'its record already exists' : 'their records already exist'}. ` +
      '*Update existing records* imports the file again with the same mapping, giving them its values.',
  );
}

/** Replaces the dry run's button once the real run has started. */
export function dryRunStartedForReal(view: ImportView, user: string): SlackMessage {
  const text = `Dry run of ${literal(view.fileName, 120)} done; <@${user}> started it for real.`;
  return { text, blocks: [mrkdwnSection(`:mag: ${text}`)] };
}

/** A short answer in the thread: a refused file, a failed call, a reason. */
export function noteMessage(text: string, emoji = ':information_source:'): SlackMessage {
  return { text, blocks: [mrkdwnSection(`${emoji} ${text}`)] };
}
