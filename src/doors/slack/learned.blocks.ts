import { MappingTarget, targetLabel } from '../../core/custom-field';
import type { RecordType } from '../../core/record-type';
import type { ColumnView } from '../../engine/imports/import-view';
import { LIMITS, clip, literal } from '../../protocols/slack/block-kit';

/** "Learned from `march.csv` (2026-12-07)": a suggestion the workspace learned says where from. */
export function learnedNote(col: Pick<ColumnView, 'learnedFrom'>): string {
  if (!col.learnedFrom) return '';
  const day = new Date(col.learnedFrom.at).toISOString().slice(0, 10);
  const file = col.learnedFrom.fileName
    ? `\`${literal(col.learnedFrom.fileName, 80)}\``
    : 'an earlier import';
  return `\n_Learned from ${file} (${day})_`;
}

/** The thread's note once a person made the workspace forget a header. */
export function forgottenText(
  userId: string,
  type: RecordType,
  header: string,
  field: MappingTarget | null,
  fileName: string | null,
): string {
  const target = field ? targetLabel(field) : "don't import";
  const from = fileName ? ` (learned from \`${literal(fileName, 80)}\`)` : '';
  return clip(
    `<@${userId}> made the workspace forget *${literal(header, 150)}* → ${literal(target, 80)} for ${type}${from}. ` +
      'This file keeps its mapping; the next files get a fresh suggestion.',
    LIMITS.sectionText,
  );
}
