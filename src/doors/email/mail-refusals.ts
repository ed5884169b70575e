import type { RecordType } from '../../core/record-type';
import { MailBody, plainBody } from './mail-body';

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
  return plainBody(lines);
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
