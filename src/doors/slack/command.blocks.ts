import levenshtein from 'damerau-levenshtein';
import { RECORD_TYPES } from '../../core/record-type';
import type { ImportSummary, ImportView } from '../../engine/imports/import-view';
import { isTerminal } from '../../core/lifecycle/import-lifecycle';
import {
  LIMITS,
  SlackMessage,
  button,
  clip,
  count,
  literal,
  mrkdwnSection,
} from '../../protocols/slack/block-kit';
import type { KnownBlock } from '../../protocols/slack/block-kit';
import { ACTION } from './slack-ids';
import { rollbackSentence } from '../../core/report/rollback-sentence';

/** The whole flow in a few lines. */
/** The help; with `unknown`, first the word that was not understood and the closest command. */
export function helpMessage(command: string, unknown?: string): SlackMessage {
  const types = RECORD_TYPES.join(', ');
  const near = unknown ? closestVerb(unknown) : null;
  const head = unknown
    ? [
        `I did not understand \`${literal(unknown, 40)}\`${near ? `: did you mean \`${command} ${near}\`?` : '.'}`,
        '',
      ]
    : [];
  const lines = [
    ...head,
    '*Import clients, leads or companies from a CSV file or an Excel workbook*',
    '1. Share a `.csv` file or an `.xlsx` workbook in a channel I am in, or in a direct message to me.',
    '2. In the thread I show the type I guessed and where each column goes. Fix any select (a column no field fits can be kept as a custom field); required fields that are still missing are listed.',
    '3. Choose how existing records are handled (skip, update, or fill only their empty fields), then press *Start import* (or *Dry run* to see what would happen first).',
    '4. I post progress, then a summary with a report of the skipped rows and why.',
    '',
    `\`${command} template <type>\` the sample CSV (${types})`,
    `\`${command} status [id]\` your recent imports (an admin sees the workspace's), or one import`,
    `\`${command} undo <id>\` undo an import you started: delete the records it created, restore those it changed (asks first)`,
    `\`${command} help\` this help`,
  ];
  const text = unknown
    ? `I did not understand "${literal(unknown, 40)}". How to import a file with Intake`
    : 'How to import a file with Intake';
  return { text, blocks: [mrkdwnSection(lines.join('\n'))] };
}

const VERBS = ['template', 'status', 'undo', 'help'];

/** The command a typo most likely meant ("templates" → "template"), if one is close. */
function closestVerb(word: string): string | null {
  const w = word.toLowerCase().slice(0, 40);
  return VERBS.find((v) => w.startsWith(v) || levenshtein(v, w).steps <= 2) ?? null;
}

function statusLine(v: ImportSummary): string {
  const c = v.counts;
  const counts =
    v.status === 'awaiting_mapping'
      ? 'waiting for the mapping'
      : `${count(c.imported)} imported, ${count(c.updated)} updated, ${count(c.unchanged)} unchanged, ${count(c.skipped)} skipped`;
  const dry = v.dryRun ? ' (dry run)' : '';
  return `\`${v.id}\` · ${when(v.createdAt)} · ${literal(v.fileName, 60)} · ${v.type} · *${v.status.replace('_', ' ')}*${dry} · ${counts}`;
}

export function statusListMessage(views: readonly ImportSummary[]): SlackMessage {
  if (!views.length) {
    return {
      text: 'No imports yet.',
      blocks: [mrkdwnSection('No imports yet. Share a CSV file with me to start one.')],
    };
  }
  // Proposals nobody confirmed would push the imports people care about out of sight: one line for them.
  const waiting = views.filter((x) => x.status === 'awaiting_mapping');
  const others = views.filter((x) => x.status !== 'awaiting_mapping');
  const lines = others.map(statusLine);
  if (waiting.length) lines.push(waitingLine(waiting));
  // Several sections, each under the text limit, never more blocks than a message holds.
  const blocks: KnownBlock[] = [mrkdwnSection('*Recent imports*')];
  let chunk = '';
  for (const line of lines) {
    if (chunk.length + line.length + 1 > LIMITS.sectionText) {
      blocks.push(mrkdwnSection(chunk));
      chunk = '';
    }
    chunk += `${chunk ? '\n' : ''}${line}`;
  }
  if (chunk) blocks.push(mrkdwnSection(chunk));
  return { text: `Recent imports: ${others.length}`, blocks: blocks.slice(0, LIMITS.blocksPerMessage) };
}

function waitingLine(waiting: readonly ImportSummary[]): string {
  const newest = waiting
    .slice(0, 3)
    .map((x) => `\`${x.id}\` ${literal(x.fileName, 40)}`)
    .join(', ');
  const oldest = waiting[waiting.length - 1]!;
  const more = waiting.length > 3 ? `, and ${count(waiting.length - 3)} more` : '';
  return (
    `_Waiting for a mapping: ${count(waiting.length)}_ (${newest}${more}; the oldest shared ` +
    `${when(oldest.createdAt)}). Finish one in its thread, or leave it: unconfirmed proposals expire.`
  );
}

export function statusDetailMessage(v: ImportView): SlackMessage {
  const c = v.counts;
  const lines = [
    `*Import \`${v.id}\`* · ${literal(v.fileName, 120)} · ${v.type}${v.dryRun ? ' · dry run' : ''}`,
    `Status: *${v.status.replace('_', ' ')}*${v.waiting ? ` (${v.waiting})` : ''} · shared ${when(v.createdAt)}` +
      (v.finishedAt ? ` · ended ${when(v.finishedAt)}` : ''),
    `Rows read: ${count(c.total)} · imported ${count(c.imported)} · updated ${count(c.updated)} · unchanged ${count(c.unchanged)} · skipped ${count(c.skipped)} · flagged ${count(c.flagged)}`,
  ];
  if (v.error)
    lines.push(`Error${v.error.row ? ` at row ${v.error.row}` : ''}: ${literal(v.error.message, 500)}`);
  if (v.rollback) lines.push(`Rolled back: ${rollbackSentence(v.rollback)}.`);
  return { text: `Import ${v.id}: ${v.status}`, blocks: [mrkdwnSection(lines.join('\n'))] };
}

/** Slack renders this in each reader's own time zone; the fallback is UTC. */
function when(d: Date | null | undefined): string {
  if (!d) return '';
  const at = new Date(d);
  const unix = Math.floor(at.getTime() / 1000);
  return `<!date^${unix}^{date_short} {time}|${at.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
}

/** Whether undo is offered now: the conversation offers it once the import wrote records. */
export function canUndo(v: ImportView): boolean {
  return v.actions.some((o) => o.kind === 'undo');
}

/** Undo asked of an import that cannot be rolled back (yet, or any more): said before any button is shown. */
export function cannotUndoMessage(v: ImportView): SlackMessage {
  if (v.status === 'rolled_back' && v.rollback) return alreadyUndoneMessage(v);
  const why = v.dryRun
    ? 'it was a dry run and wrote nothing.'
    : isTerminal(v.status)
      ? `it is ${v.status.replace('_', ' ')}${wroteNothing(v) ? ' and wrote no records' : ''}.`
      : `it is ${v.status.replace('_', ' ')}: undo is possible once it has ended (its summary then has an *Undo import* button).`;
  return plainMessage(`Import \`${v.id}\` cannot be undone now: ${why}`);
}

function wroteNothing(v: ImportView): boolean {
  return v.counts.imported === 0 && v.counts.updated === 0;
}

/** A second undo: it was done already, with what it did and who did it. */
export function alreadyUndoneMessage(v: ImportView): SlackMessage {
  const undo = [...v.history].reverse().find((a) => a.act === 'undo');
  const who = undo?.person && undo.door === 'slack' ? ` by <@${undo.person}>` : '';
  const result = v.rollback ? `: ${rollbackSentence(v.rollback)}` : '';
  return plainMessage(`Import \`${v.id}\` was already undone${who}${result}. Nothing was done again.`);
}

/** How the question was reached, kept in its block id so the answer says where the undo came from. */
export type UndoVia = 'command' | 'button';

export function undoConfirmMessage(v: ImportView, via: UndoVia = 'command'): SlackMessage {
  const text =
    `Undo import \`${v.id}\` (${literal(v.fileName, 120)})? This deletes the ${count(v.counts.imported)} ` +
    `${v.type} it created and puts back the previous values of the ${count(v.counts.updated)} it updated. ` +
    'Records changed again since are kept as they are.';
  return {
    text: clip(text.replace(/`/g, ''), 300),
    blocks: [
      mrkdwnSection(text),
      {
        type: 'actions',
        block_id: `undo-${via}`,
        elements: [
          button(ACTION.undoConfirm, 'Yes, undo it', v.id, 'danger'),
          button(ACTION.undoKeep, 'Keep it', v.id),
        ],
      },
    ],
  };
}

/** The answer to the person who undid it. */
export function undoneMessage(v: ImportView): SlackMessage {
  const r = v.rollback ?? { deleted: 0, restored: 0, kept: 0 };
  const text = `Import \`${v.id}\` rolled back: ${rollbackSentence(r)}.`;
  return { text: text.replace(/`/g, ''), blocks: [mrkdwnSection(`:leftwards_arrow_with_hook: ${text}`)] };
}

/** Told in the import's thread: it was undone, with the result, by whom and from where. */
export function undoneInThreadMessage(v: ImportView, user: string, from: string): SlackMessage {
  const r = v.rollback ?? { deleted: 0, restored: 0, kept: 0 };
  const text = `<@${user}> undid the import of \`${literal(v.fileName, 120)}\` ${from}: ${rollbackSentence(r)}.`;
  return { text: text.replace(/[`*]/g, ''), blocks: [mrkdwnSection(`:leftwards_arrow_with_hook: ${text}`)] };
}

export function plainMessage(text: string): SlackMessage {
  return { text, blocks: [mrkdwnSection(text)] };
}
