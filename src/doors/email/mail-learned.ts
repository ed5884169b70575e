import { MappingTarget, targetLabel } from '../../core/custom-field';
import type { ImportView } from '../../engine/imports/import-view';
import type { LearnedMappingView } from '../../engine/workspaces/learned-mappings';

const day = (at: Date | string) => new Date(at).toISOString().slice(0, 10);
const fieldLabel = (f: MappingTarget | null) => (f ? targetLabel(f) : 'not imported');

/** A learned suggestion says where from, and the reply that makes the workspace forget it. */
export function learnedLines(v: Pick<ImportView, 'columns'>): string[] {
  return v.columns.flatMap((c) => {
    if (!c.learnedFrom) return [];
    const from = c.learnedFrom.fileName ?? 'an earlier import';
    return [
      `"${c.header}" → ${fieldLabel(c.field)} was learned from ${from} (${day(c.learnedFrom.at)}); ` +
        `to stop suggesting it, reply "Forget ${c.header}".`,
    ];
  });
}

/** What a "Forget …" line did, one line per header. */
export function forgottenLine(header: string, gone: LearnedMappingView | null): string {
  if (!gone) return `Nothing was learned for "${header}", so there was nothing to forget.`;
  const from = gone.learnedFrom.fileName ? `, learned from ${gone.learnedFrom.fileName}` : '';
  return `Forgotten: "${gone.header}" → ${fieldLabel(gone.field)}${from}. The next files get a fresh suggestion; this one keeps its mapping.`;
}
