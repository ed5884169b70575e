import { ImportView, START_MESSAGE } from '../../engine/imports/import-view';
import type { NotTaken } from '../../protocols/mail/inbound-reader';
import type { ReplyCommand } from './reply-command';
import { howToAnswer, replyLinesText } from './mail-next-step';
import { htmlParagraphs, MailBody } from './mail-body';
import { mappingHtml, mappingText } from './mail-mapping';

export interface RejectedFile {
  fileName: string;
  message: string;
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
    (views.length ? htmlParagraphs(intro) : '') +
    views.map(mappingHtml).join('') +
    htmlParagraphs(rejected) +
    htmlParagraphs([outro.join('\n'), template]);
  return { text: `${text}\n`, html: body };
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
  return { text: `${text}\n`, html: htmlParagraphs(lines, views.map(mappingHtml).join('')) };
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
    html: htmlParagraphs(lines, views.map(mappingHtml).join('')),
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
    html: htmlParagraphs(lines, views.map(mappingHtml).join('')),
  };
}
