import { START_MESSAGE } from '../../engine/imports/import-view';
import type { ImportView } from '../../engine/imports/import-view';
import { LIMITS, SlackMessage, context, count, esc, literal, mrkdwnSection, plain } from './block-kit';
import type { KnownBlock } from './block-kit';
import { ACTION, importBlockId } from './slack-ids';
import { summaryOf } from '../../engine/conversation/import-summary';
import { canUndo } from './command.blocks';
import { reasonsText } from '../../core/report/report-reasons';
import type { TopReasons } from '../../engine/imports/import.service';

const BAR_WIDTH = 20;

/** Exactly the start sentence people are promised, as its own message. */
export function startedMessage(): SlackMessage {
  return { text: START_MESSAGE, blocks: [mrkdwnSection(START_MESSAGE)] };
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
  if (view.status === 'queued' || view.status === 'running') {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION.cancel,
          text: plain('Cancel', LIMITS.buttonText),
          style: 'danger',
          value: view.id,
        },
      ],
    });
  }
  return { text: line.replace(/`/g, ''), blocks };
}

/** The end of an import: counts, what the report holds, and for a dry run a button to run it for real. */
export function summaryMessage(
  view: ImportView,
  reportAttached: boolean,
  reasons?: TopReasons,
  alreadyExist = 0,
): SlackMessage {
  const file = `\`${literal(view.fileName, 120)}\``;
  const c = view.counts;
  const why = [
    c.skipped && reasons?.skipped.length ? `Skipped: ${esc(reasonsText(reasons.skipped))}.` : '',
    c.flagged ? flaggedLine(view, reasons) : '',
  ].filter(Boolean);
  const reportLine = [
    ...why,
    reportAttached
      ? 'Each skipped row and each row imported with a warning is in the report below, with its outcome and reason.'
      : 'No rows were skipped or flagged.',
  ].join('\n');
  const blocks: KnownBlock[] = [];
  const { outcome, failure } = summaryOf(view);
  let text: string;
  if (outcome === 'dry_run') {
    text =
      `Dry run of ${file} finished; nothing was written. It would import ${count(c.imported)}, ` +
      `update ${count(c.updated)}, leave ${count(c.unchanged)} unchanged and skip ${count(c.skipped)} of ` +
      `${count(c.total)} rows (${count(c.flagged)} flagged).`;
    blocks.push(mrkdwnSection(`:mag: ${text}\n${reportLine}`, importBlockId('summary', view.id)), {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION.runForReal,
          text: plain('Run it for real', LIMITS.buttonText),
          style: 'primary',
          value: view.id,
        },
      ],
    });
  } else if (outcome === 'completed') {
    text =
      `Import of ${file} finished: ${count(c.total)} rows read, ${count(c.imported)} imported, ` +
      `${count(c.updated)} updated, ${count(c.unchanged)} unchanged, ${count(c.skipped)} skipped, ` +
      `${count(c.flagged)} flagged.${companiesLine(c)}`;
    blocks.push(
      mrkdwnSection(`:white_check_mark: ${text}\n${reportLine}`, importBlockId('summary', view.id)),
      ...updateExisting(view, alreadyExist),
    );
  } else if (outcome === 'failed') {
    const err = view.error;
    const where = err?.row ? ` at row ${err.row}` : '';
    text =
      `Import of ${file} failed${where}: ${esc(err?.message ?? 'unknown error')} ` +
      `Before it stopped: ${count(c.imported)} imported, ${count(c.updated)} updated, ${count(c.skipped)} skipped.`;
    blocks.push(
      mrkdwnSection(`:x: ${text}\n${reportAttached ? reportLine : ''}`, importBlockId('summary', view.id)),
    );
  } else if (outcome === 'expired') {
    text = `Import of ${file} expired. ${esc(failure ?? '')} To import it, share the file again.`;
    blocks.push(mrkdwnSection(`:hourglass: ${text}`, importBlockId('summary', view.id)));
  } else {
    // The counts of the last batch written, the one in flight when the cancel came included.
    const before = c.total
      ? `Before it stopped, ${count(c.total)} rows were read: ${count(c.imported)} imported, ` +
        `${count(c.updated)} updated, ${count(c.unchanged)} unchanged, ${count(c.skipped)} skipped, ` +
        `${count(c.flagged)} flagged.`
      : 'Nothing was imported.';
    text = `Import of ${file} cancelled. ${before}`;
    blocks.push(mrkdwnSection(`:octagonal_sign: ${text}`, importBlockId('summary', view.id)));
  }
  // Whatever ended it, records it wrote can be undone from here (a cancel keeps the batch in flight).
  if ((c.imported || c.updated) && canUndo(view)) {
    blocks.push(
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTION.undoAsk,
            text: plain('Undo import', LIMITS.buttonText),
            value: view.id,
          },
        ],
      },
      context(`Changed your mind? *Undo import* above, or \`undo ${view.id}\` with the slash command.`),
    );
  }
  return { text: text.replace(/[`*]/g, ''), blocks };
}

/** What "flagged" means, with its top reasons when known: a large count should not alarm or puzzle. */
function flaggedLine(view: ImportView, reasons?: TopReasons): string {
  const n = view.counts.flagged;
  const were = view.dryRun ? 'would be' : n === 1 ? 'was' : 'were';
  const what = `Flagged: ${count(n)} ${n === 1 ? 'row' : 'rows'} ${were} imported with a warning, a value worth checking (kept as the file had it)`;
  return reasons?.flagged.length ? `${what}: ${esc(reasonsText(reasons.flagged))}.` : `${what}.`;
}

/** Rows skipped because their record already exists: a button imports the file again, updating them. */
function updateExisting(view: ImportView, alreadyExist: number): KnownBlock[] {
  if (alreadyExist <= 0) return [];
  const rows = alreadyExist === 1 ? '1 row was' : `${count(alreadyExist)} rows were`;
  return [
    mrkdwnSection(
      `${rows} skipped because ${alreadyExist === 1 ? 'its record already exists' : 'their records already exist'}. ` +
        '*Update existing records* imports the file again with the same mapping, giving them its values.',
    ),
    {
      type: 'actions',
      block_id: importBlockId('update', view.id),
      elements: [
        {
          type: 'button',
          action_id: ACTION.updateExisting,
          text: plain('Update existing records', LIMITS.buttonText),
          value: view.id,
        },
      ],
    },
  ];
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
