import type { RecordType } from '../../core/record-type';
import { readLine } from './reply-clauses';
import { applyEffect, Effect, effectNote, ReplyCommand, ReplyLine } from './reply-command';
import { namesIn } from './reply-corrections';
import { endsInstructions, plainWords } from './reply-phrases';
import { boundedReplyText, trimTrailing } from '../../protocols/mail/reply-text';
import { ReplyVocabulary, vocabularyOf } from './reply-vocabulary';

/** "- Phone = Mobile", "1. yes" → the instruction without list markers or trailing punctuation. */
function cleanLine(raw: string): string {
  return trimTrailing(raw.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, ''), '.!;, \t').trim();
}

/** Decides what one line is: understood, not understood (and why), or ignored politeness. */
function judgeLine(
  line: string,
  v: ReplyVocabulary,
): { status: ReplyLine['status']; notes: string[]; problems: string[]; effects: Effect[] } {
  const pieces = readLine(line, v);
  const effects = pieces.flatMap((p) => (p.clause.kind === 'action' ? p.clause.effects : []));
  const problems = pieces.flatMap((p) => (p.clause.kind === 'problem' ? [p.clause.message] : []));
  const unknown = pieces.filter((p) => p.clause.kind === 'unknown');
  for (const p of unknown) {
    const names = namesIn(v, p.text);
    const short = plainWords(p.text).length <= (effects.length ? 2 : 3);
    if (names.length)
      problems.push(
        `"${p.text.slice(0, 120)}" names ${names.map((n) => `"${n}"`).join(', ')}, but I could not tell what to do with it.`,
      );
    else if (!short) problems.push(`I did not understand "${p.text.slice(0, 120)}".`);
  }
  // A line with a problem does nothing at all, not even its readable part: the person fixes the line.
  const notes = effects.map(effectNote);
  if (problems.length)
    return { status: 'not_understood', notes: [...notes, ...problems], problems, effects: [] };
  if (effects.length) return { status: 'understood', notes, problems, effects };
  return { status: 'ignored', notes: [], problems, effects: [] };
}

/**
 * Reads a person's reply (quoted text already removed), line by line. Corrections take `Field = Column`
 * (the form the first answer shows) and also `Column = Field` when only that reading fits, and the
 * common ways of saying it ("skip Notes", "map Mobile to Phone", "phone should be the Mobile column");
 * confirmations and cancellations in English, German, French and Spanish. A line that names a column or
 * a field and could not be applied is a problem, so the reply starts nothing. Greetings and thanks are
 * ignored, and reading stops at a sign-off or a mobile footer. Only a bounded head of the text is read.
 */
export function parseReply(text: string, type: RecordType, headers: readonly string[]): ReplyCommand {
  const cmd: ReplyCommand = {
    confirm: false,
    cancel: false,
    dryRun: false,
    undo: false,
    retry: false,
    corrections: [],
    understood: [],
    problems: [],
    lines: [],
  };
  const v = vocabularyOf(type, headers);
  for (const raw of boundedReplyText(text).split('\n')) {
    const line = cleanLine(raw);
    if (!line) continue;
    if (endsInstructions(plainWords(line))) {
      cmd.lines.push({ text: line, status: 'ignored', notes: ['signature: what follows is not read'] });
      break;
    }
    const judged = judgeLine(line, v);
    cmd.lines.push({ text: line, status: judged.status, notes: judged.notes });
    cmd.problems.push(...judged.problems);
    for (const e of judged.effects) applyEffect(cmd, e);
  }
  return cmd;
}
