import { fieldDef } from '../../core/field-catalog';
import { targetLabel } from '../../core/custom-field';
import type { ImportView } from '../../engine/imports/import-view';
import { readinessOf } from '../../engine/conversation/readiness';
import type { ReplyCommand } from './reply-command';
import { AFTER_START, replyOffers } from './mail-offers';

const CORRECTIONS_HELP = [
  'To correct it, reply with one change per line, as Field = Column, for example:',
  '  Phone = Mobile number',
  '  Notes = skip',
  '  Birthday = keep   (keeps a column no field fits as a custom field)',
  'You may add "duplicates: update" (existing records take the new values), "duplicates: fill" (only their',
  'empty fields are filled; the default skips them)',
  'or "dry run" (check every row and report, without writing anything).',
];

/** A column no field is drawn from yet, to show in an example reply. */
function freeColumn(v: ImportView): string {
  const free = v.columns.find((c) => !c.field && c.header.trim() && c.header.length <= 40);
  return free?.header ?? 'Column name';
}

/** What keeps one file from starting, each with the reply that fixes it. */
function blockers(v: ImportView, many: boolean): string[] {
  const where = many ? ` (${v.fileName})` : '';
  return readinessOf(v).problems.map((p) => {
    if (p.kind === 'missing') {
      const names = p.fields.map((f) => fieldDef(f).label);
      return (
        `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} required but no column is mapped to ` +
        `${names.length === 1 ? 'it' : 'them'}${where}: reply "${names[0]} = ${freeColumn(v)}".`
      );
    }
    const label = targetLabel(p.field);
    const heads = p.headers.map((h) => `"${h.length > 40 ? `${h.slice(0, 39)}…` : h}"`).join(' and ');
    return (
      `${heads} are both mapped to ${label}${where}: reply "${label} = ${p.headers[p.headers.length - 1]}" ` +
      'to keep one (the other is then not imported).'
    );
  });
}

/**
 * The next step, as the person can take it now: "reply yes" only when yes would start every file;
 * otherwise what blocks it and the reply that fixes each thing.
 */
export function howToAnswer(views: readonly ImportView[]): string[] {
  const blocked = views.flatMap((v) => blockers(v, views.length > 1));
  // Choosing the sheet or the type, and cancelling, are offered whether or not the mapping is complete.
  const more = [...new Set(views.flatMap((v) => replyOffers(v, ['choose_sheet', 'change_type', 'cancel'])))];
  if (!blocked.length)
    return ['To import with this mapping, reply "yes".', ...CORRECTIONS_HELP, ...more, AFTER_START];
  return [
    ...more,
    'Nothing can start yet:',
    ...blocked.map((b) => `  • ${b}`),
    'Reply with the corrections, one per line, as Field = Column (or "Notes = skip" to leave a column out):',
    'once they complete the mapping, the import starts.',
  ];
}

const MARK = { understood: '✓', not_understood: '✗', ignored: '·' } as const;

/** The reply read back, line by line: what each line did, or why it did nothing. */
export function replyLinesText(cmd: ReplyCommand): string[] {
  if (!cmd.lines.length)
    return ['Your reply had no text above the quoted message, so I found no instruction in it.'];
  const out = ['Your reply, line by line:'];
  for (const l of cmd.lines) {
    const quoted = `"${l.text.length > 80 ? `${l.text.slice(0, 79)}…` : l.text}"`;
    const notes = l.status === 'ignored' ? (l.notes[0] ?? 'no instruction (ignored)') : l.notes.join(' ');
    out.push(`  ${MARK[l.status]} ${quoted}: ${notes}`);
  }
  if (!cmd.lines.some((l) => l.status !== 'ignored')) out.push('I found no instruction in it.');
  return out;
}
