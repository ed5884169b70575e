import { FieldKey, requiredFieldsOf } from '../../core/field-catalog';
import type { MappingTarget } from '../../core/custom-field';
import type { ImportView } from '../imports/import-view';

/** What still keeps an import from starting, in a form each door renders in its own words. */
export type StartProblem =
  { kind: 'missing'; fields: FieldKey[] } | { kind: 'conflict'; field: MappingTarget; headers: string[] };

export interface Readiness {
  /** The import can be started now (its mapping is complete, or it is a finished dry run). */
  ready: boolean;
  problems: StartProblem[];
  /**
   * Every required field is fed by a column suggested with at least AUTO_START_CONFIDENCE: a workspace
   * that allows it may start without asking.
   */
  certain: boolean;
}

/** The bar for starting without asking. */
export const AUTO_START_CONFIDENCE = 0.9;

/** "Ready to start?", answered once for Slack and email alike. */
export function readinessOf(v: ImportView): Readiness {
  if (v.status === 'completed' && v.dryRun) return { ready: true, problems: [], certain: false };
  const problems: StartProblem[] = [];
  if (v.missingRequired.length) problems.push({ kind: 'missing', fields: v.missingRequired });
  for (const c of v.conflicts) {
    problems.push({
      kind: 'conflict',
      field: c.field,
      headers: c.columns.map((i) => v.columns[i]?.header ?? `${i + 1}`),
    });
  }
  const ready = v.status === 'awaiting_mapping' && problems.length === 0;
  const certain =
    ready &&
    requiredFieldsOf(v.type).every((f) =>
      v.columns.some(
        (c) =>
          (c.field === f.key || (f.key === 'firstName' && c.field === 'fullName')) &&
          c.confidence >= AUTO_START_CONFIDENCE,
      ),
    );
  return { ready, problems, certain };
}
