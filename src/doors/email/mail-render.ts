import { fieldDef } from '../../core/field-catalog';
import { MappingTarget, targetLabel } from '../../core/custom-field';
import type { RecordType } from '../../core/record-type';
import { DRY_RUN_START_MESSAGE, ImportView, START_MESSAGE } from '../../engine/imports/import-view';
import type { NotTaken } from './inbound-reader';
import type { ReplyCommand } from './reply-command.parser';
import { howToAnswer, replyLinesText } from './mail-next-step';
import { summaryOf } from '../../engine/conversation/import-summary';
import { learnedLines } from './mail-learned';
import { ReasonCount, reasonsText } from '../../core/report/report-reasons';
import { addingUp } from '../../engine/conversation/outcome';
import { replyOffers } from './mail-offers';
import type { TopReasons } from '../../core/report/report-reasons';

/** A reply's body in plain text and HTML; pure, so tests read exactly what people get. */
export interface MailBody {
  text: string;
  html: string;
}

export interface RejectedFile {
  fileName: string;
  message: string;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const label = (f: MappingTarget | null) => (f ? targetLabel(f) : '(not imported)');
const pct = (c: number, f: MappingTarget | null) => (f ? `${Math.round(c * 100)}%` : '');
const clip = (s: string, n = 24) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function tableRows(v: ImportView): string[][] {
  return v.columns.map((c) => [
    clip(c.header || `(column ${c.index + 1})`, 30),
    label(c.field),
    pct(c.confidence, c.field),
    c.samples
      .filter((s) => s.trim())
      .map((s) => clip(s.trim()))
      .join(', '),
  ]);
}

function problemsOf(v: ImportView): string[] {
  const out: string[] = [];
  if (v.missingRequired.length)
    out.push(`Missing required: ${v.missingRequired.map((k) => fieldDef(k).label).join(', ')}.`);
  for (const c of v.conflicts) {
    const heads = c.columns.map((i) => `"${v.columns[i]?.header}"`).join(' and ');
    out.push(`${heads} are both mapped to ${targetLabel(c.field)}: choose one.`);
  }
  return out;
}

/** What the values said against a suggested field: worth a look, but no reason not to start. */
function warningsOf(v: ImportView): string[] {
  return v.columns.flatMap((c) => (c.warning && c.field ? [c.warning] : []));
}

/** For a workbook: the sheet read, and how to read another one. */
function sheetNote(v: ImportView): string | null {
  if (!v.sheet) return null;
  const others = (v.sheets ?? []).filter((s) => s !== v.sheet);
  if (!others.length) return `Sheet "${v.sheet}".`;
  const list = others.map((s) => `"${s}"`).join(', ');
  return `Sheet "${v.sheet}"; its other sheets: ${list}. To read another, reply "Sheet = ${others[0]}".`;
}

function mappingText(v: ImportView): string {
  const format = v.sheet
    ? 'Excel workbook'
    : `${v.encoding}, delimiter "${v.delimiter === '\t' ? 'tab' : v.delimiter}"`;
  const note = sheetNote(v);
  const head = `${v.fileName} (${v.type}, ${format})${note ? `\n${note}` : ''}`;
  const table = pad([['Column', 'Field', 'Confidence', 'Sample values'], ...tableRows(v)]);
  const problems = problemsOf(v);
  return [
    head,
    '',
    table,
    '',
    problems.length ? problems.join('\n') : 'Every required field is mapped.',
    ...warningsOf(v),
    ...learnedLines(v),
  ].join('\n');
}

function mappingHtml(v: ImportView): string {
  const rows = tableRows(v)
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('');
  const problems = problemsOf(v);
  return (
    `<h3>${esc(v.fileName)} <small>(${esc(v.type)})</small></h3>` +
    (sheetNote(v) ? `<p>${esc(sheetNote(v)!)}</p>` : '') +
    `<table border="1" cellpadding="4" cellspacing="0"><thead><tr><th>Column</th><th>Field</th><th>Confidence</th><th>Sample values</th></tr></thead><tbody>${rows}</tbody></table>` +
    `<p>${problems.length ? problems.map(esc).join('<br>') : 'Every required field is mapped.'}</p>` +
    [...warningsOf(v), ...learnedLines(v)].map((w) => `<p>${esc(w)}</p>`).join('')
  );
}

function rejectedText(rejected: readonly RejectedFile[]): string[] {
  return rejected.map((r) => `${r.fileName} was not imported: ${r.message}`);
}

/** The CSV files past the per-message limit, by name (the first few), and what to do with them. */
export function notTakenText(notTaken: NotTaken, max: number): string[] {
  if (!notTaken.count) return [];
  const more = notTaken.count - notTaken.names.length;
  const names = notTaken.names.join(', ') + (more > 0 ? ` and ${more} more` : '');
  const files = notTaken.count === 1 ? 'this file was' : `these ${notTaken.count} files were`;
  return [
    `I take at most ${max} CSV files from one message, so ${files} not imported: ${names}. ` +
      `Send them again in other messages, ${max} at most in each.`,
  ];
}

function html(paragraphs: string[], extra = ''): string {
  return `<div>${paragraphs.map((p) => `<p>${esc(p).replace(/\n/g, '<br>')}</p>`).join('')}${extra}</div>`;
}

/** The first answer: the proposed mapping of each file, what is missing, and how to confirm or correct. */
export function proposalBody(input: {
  views: readonly ImportView[];
  rejected: readonly RejectedFile[];
  /** Set when attachments were left out by the per-message limit. */
  notTaken?: { files: NotTaken; max: number };
  intro?: string[];
  started?: boolean;
}): MailBody {
  const { views } = input;
  const rejected = [
    ...rejectedText(input.rejected),
    ...(input.notTaken ? notTakenText(input.notTaken.files, input.notTaken.max) : []),
  ];
  const intro = input.intro ?? [
    views.length === 1
      ? `I read ${views[0]!.fileName}. This is how its columns would be imported:`
      : `I read ${views.length} files. This is how their columns would be imported:`,
  ];
  const outro = input.started
    ? [
        START_MESSAGE,
        'This workspace starts email imports at once when the mapping is certain; a summary follows.',
      ]
    : views.length
      ? howToAnswer(views)
      : [];
  const template = 'The sample template is attached: its columns are the ones Intake knows best.';
  const text = [
    ...(views.length ? intro : []),
    ...views.map(mappingText),
    ...rejected,
    outro.join('\n'),
    template,
  ]
    .filter(Boolean)
    .join('\n\n');
  const body =
    (views.length ? html(intro) : '') +
    views.map(mappingHtml).join('') +
    html(rejected) +
    html([outro.join('\n'), template]);
  return { text: `${text}\n`, html: body };
}

/** No CSV in the message (or only Outlook's winmail.dat): how to send one. */
export function howToBody(type: RecordType, address: string, reason: 'no_csv' | 'tnef'): MailBody {
  const lines = [
    reason === 'tnef'
      ? "Your message arrived in Outlook's rich-text format (winmail.dat), which hides its attachments. " +
        'Send it again as plain text or HTML (in Outlook: Format Text → HTML) with the CSV attached.'
      : 'I found no CSV file in your message.',
    `To import ${type}, attach a CSV file (UTF-8 or Windows-1252, comma, semicolon or tab separated, ` +
      `a header row first) to an email to ${address}. I will answer with the proposed mapping for you to confirm.`,
    'An Excel workbook (.xlsx, .xlsm) works as it is: attach it, and reply "Sheet = Name" to choose its sheet. The sample template is attached.',
  ];
  return { text: `${lines.join('\n\n')}\n`, html: html(lines) };
}

/** A reply that could not be acted on: each line read back, the next step, and the current mapping. */
export function notUnderstoodBody(cmd: ReplyCommand, views: readonly ImportView[]): MailBody {
  const lines = [
    'Nothing was imported: I could not act on your reply.',
    replyLinesText(cmd).join('\n'),
    howToAnswer(views).join('\n'),
    'This reply address still works.',
  ];
  const text = [...lines, ...views.map(mappingText)].join('\n\n');
  return { text: `${text}\n`, html: html(lines, views.map(mappingHtml).join('')) };
}

/** A reply that only asked to forget learned mappings: what was forgotten, and the proposal as it is. */
export function forgottenBody(cmd: ReplyCommand, views: readonly ImportView[], told: string[]): MailBody {
  const lines = [
    told.join('\n'),
    replyLinesText(cmd).join('\n'),
    howToAnswer(views).join('\n'),
    'This reply address still works.',
  ];
  return {
    text: `${[...lines, ...views.map(mappingText)].join('\n\n')}\n`,
    html: html(lines, views.map(mappingHtml).join('')),
  };
}

/** Corrections applied but something still keeps the import from starting. */
export function stillMissingBody(
  cmd: ReplyCommand,
  views: readonly ImportView[],
  errors: string[],
): MailBody {
  const lines = [
    'Nothing was imported yet: the mapping is not complete.',
    replyLinesText(cmd).join('\n'),
    ...(errors.length
      ? [['These changes could not be made:', ...errors.map((e) => `  ✗ ${e}`)].join('\n')]
      : []),
    howToAnswer(views).join('\n'),
    'This reply address still works.',
  ];
  return {
    text: `${[...lines, ...views.map(mappingText)].join('\n\n')}\n`,
    html: html(lines, views.map(mappingHtml).join('')),
  };
}

export function startedBody(dryRun = false): MailBody {
  const line = dryRun ? DRY_RUN_START_MESSAGE : START_MESSAGE;
  return { text: `${line}\n`, html: `<p>${esc(line)}</p>` };
}

/** A message built past what the MIME parser reads (over 1,000 parts, or a 1 MB header block). */
export function tooComplexBody(maxCsv: number): MailBody {
  return plainBody([
    'Intake could not read your message: it has more parts (attachments) or a larger header than a ' +
      'message may have here, so nothing was imported.',
    `Send your CSV files again, at most ${maxCsv} in each message.`,
  ]);
}

/** Why a message was set aside, in words the sender reads after "could not be processed: ". */
export function setAsideReason(earlier: { unfinished: number; overran: number }, budgetMs: number): string {
  const late = `took longer than ${Math.round(budgetMs / 1000)} s`;
  const times = earlier.unfinished === 2 ? 'twice' : `${earlier.unfinished} times`;
  if (earlier.overran === 0) return `reading it stopped Intake ${times}`;
  if (earlier.overran >= earlier.unfinished) return `reading it ${late}, ${times}`;
  return `reading it stopped Intake or ${late}, ${times} in all`;
}

/** A message set aside because handling it stopped Intake (or ran past its time) twice. */
export function setAsideBody(reason: string, rawFileId: string): MailBody {
  return plainBody([
    `Your message could not be processed: ${reason}, so it was set aside and nothing was imported. ` +
      'It will not be tried again.',
    'If it holds an Excel workbook, save each sheet as CSV and send those instead. If that fails too, ask ' +
      `whoever runs Intake to look at message ${rawFileId}.`,
  ]);
}

export function plainBody(lines: string[]): MailBody {
  return { text: `${lines.join('\n\n')}\n`, html: html(lines) };
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
  return { text: `${lines.join('\n\n')}\n`, html: html(lines) };
}
