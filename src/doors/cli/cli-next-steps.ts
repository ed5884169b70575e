import type { Offer, OfferKind } from '../../engine/conversation/offers';
import type { ImportView } from '../../engine/imports/import-view';

/** A next step as the CLI offers it: what it does and the command that does it. */
export interface NextStep {
  kind: OfferKind;
  label: string;
  command: string;
}

/** Every offer of the conversation, as an `intake` command (the compiler holds that none is missing). */
const COMMANDS: Record<OfferKind, (id: string, offer: Offer) => string> = {
  start: (id) => `intake start ${id}`,
  dry_run: (id) => `intake start ${id} --dry-run`,
  run_for_real: (id) => `intake start ${id}`,
  choose_sheet: (id, o) => `intake sheet ${id} <${(o.choices ?? []).slice(0, 5).join('|')}>`,
  change_type: (id, o) => `intake type ${id} <${(o.choices ?? []).join('|')}>`,
  change_columns: (id) => `intake map ${id} '{"<column>": "<field or null>"}'`,
  cancel: (id) => `intake cancel ${id}`,
  retry: (id) => `intake retry ${id}`,
  undo: (id) => `intake rollback ${id}`,
  update_existing: (id) => `intake update-existing ${id}`,
  download_report: (id) => `intake report ${id} --out skipped-rows.csv`,
};

export function nextSteps(view: Pick<ImportView, 'id' | 'actions'>): NextStep[] {
  return view.actions.map((o) => ({ kind: o.kind, label: o.label, command: COMMANDS[o.kind](view.id, o) }));
}

/** "Next:" and one line per offer, for the human summary. */
export function nextStepLines(view: Pick<ImportView, 'id' | 'actions'>): string[] {
  const steps = nextSteps(view);
  if (!steps.length) return [];
  const width = Math.max(...steps.map((s) => s.label.length));
  return ['Next:', ...steps.map((s) => `  ${s.label.padEnd(width)}  ${s.command}`)];
}
