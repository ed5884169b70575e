import type { RecordType } from '../../core/record-type';
import type { Correction } from './reply-corrections';

/** How one line of a reply was read, for the line-by-line part of an answer. */
export interface ReplyLine {
  text: string;
  status: 'understood' | 'not_understood' | 'ignored';
  /** What the line said (understood) or why it could not be used (not understood). */
  notes: string[];
}

export type OnDuplicateChoice = 'skip' | 'update' | 'fill';

/** What a whole reply asks for, and how each of its lines was read. */
export interface ReplyCommand {
  confirm: boolean;
  cancel: boolean;
  dryRun: boolean;
  /** Delete what a finished import created (a reply to its summary). */
  undo: boolean;
  /** Resume a failed import after its last committed row (a reply to its summary). */
  retry: boolean;
  onDuplicate?: OnDuplicateChoice;
  /** `companies: no` turns off linking clients and leads to companies. */
  linkCompanies?: boolean;
  /** A workbook's sheet to read instead ("Sheet = Clients"). */
  sheet?: string;
  /** The type of records to import instead ("Type = companies"). */
  type?: RecordType;
  corrections: Correction[];
  /** Headers whose learned mapping the workspace should forget ("Forget Email"). */
  forget?: string[];
  /** Human lines for the "what I understood" part of an answer. */
  understood: string[];
  /** Lines that looked like instructions but could not be applied; any of them means no import. */
  problems: string[];
  /** Every line read, in order, with what became of it. */
  lines: ReplyLine[];
}

/** One thing a clause of a reply asks for. */
export type Effect =
  | { confirm: true }
  | { cancel: true }
  | { dryRun: true }
  | { undo: true }
  | { retry: true }
  | { sheet: string }
  | { type: RecordType }
  | { onDuplicate: OnDuplicateChoice }
  | { linkCompanies: boolean }
  | { forget: string }
  | { correction: Correction };

const DUPLICATE_SAID: Record<OnDuplicateChoice, string> = {
  skip: 'skip them',
  update: 'update existing records',
  fill: 'fill only the empty fields of existing records',
};

/** What an effect says, in the "what I understood" part of an answer. */
export function effectNote(e: Effect): string {
  if ('confirm' in e) return 'Confirmed.';
  if ('cancel' in e) return 'Cancel.';
  if ('dryRun' in e) return 'Dry run: read and check the rows, write nothing.';
  if ('undo' in e) return 'Undo: delete the records the import created and restore those it changed.';
  if ('retry' in e) return 'Retry: resume the import after its last written row.';
  if ('sheet' in e) return `Sheet: "${e.sheet}".`;
  if ('type' in e) return `Type: ${e.type}.`;
  if ('forget' in e) return `Forget what was learned for "${e.forget}".`;
  if ('onDuplicate' in e) return `Duplicates: ${DUPLICATE_SAID[e.onDuplicate]}.`;
  if ('linkCompanies' in e)
    return e.linkCompanies
      ? 'Companies: link each contact to its company.'
      : 'Companies: do not link contacts to companies.';
  return describe(e.correction);
}

function describe(c: Correction): string {
  if ('unmapField' in c) return `Do not import ${c.unmapField}.`;
  return c.field ? `Column "${c.header}" → ${c.field}.` : `Column "${c.header}" → not imported.`;
}

/** Adds one effect to the command, and its note to what was understood (once). */
export function applyEffect(cmd: ReplyCommand, e: Effect): void {
  const note = effectNote(e);
  if ('confirm' in e) cmd.confirm = true;
  else if ('cancel' in e) cmd.cancel = true;
  else if ('dryRun' in e) cmd.dryRun = true;
  else if ('undo' in e) cmd.undo = true;
  else if ('retry' in e) cmd.retry = true;
  else if ('sheet' in e) cmd.sheet = e.sheet;
  else if ('type' in e) cmd.type = e.type;
  else if ('onDuplicate' in e) cmd.onDuplicate = e.onDuplicate;
  else if ('linkCompanies' in e) cmd.linkCompanies = e.linkCompanies;
  else if ('forget' in e) cmd.forget = [...new Set([...(cmd.forget ?? []), e.forget])];
  else cmd.corrections.push(e.correction);
  if (!cmd.understood.includes(note)) cmd.understood.push(note);
}

/** True when the reply asks for something; a reply with problems is never acted on. */
export function isActionable(cmd: ReplyCommand): boolean {
  if (cmd.problems.length) return false;
  return (
    cmd.confirm ||
    cmd.cancel ||
    cmd.dryRun ||
    cmd.undo ||
    cmd.retry ||
    cmd.onDuplicate !== undefined ||
    cmd.linkCompanies !== undefined ||
    cmd.sheet !== undefined ||
    cmd.type !== undefined ||
    (cmd.forget?.length ?? 0) > 0 ||
    cmd.corrections.length > 0
  );
}
