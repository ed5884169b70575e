import { requiredFieldsOf } from '../../core/field-catalog';
import type { ImportView } from '../../engine/imports/import-view';

/** The bar for starting without asking: every required field fed by a column suggested with ≥ 90%. */
export const AUTO_START_CONFIDENCE = 0.9;

export function isStartable(v: ImportView): boolean {
  if (v.status === 'completed' && v.dryRun) return true;
  return v.status === 'awaiting_mapping' && v.missingRequired.length === 0 && v.conflicts.length === 0;
}

export function isCertain(v: ImportView): boolean {
  if (v.status !== 'awaiting_mapping' || !isStartable(v)) return false;
  return requiredFieldsOf(v.type).every((f) =>
    v.columns.some(
      (c) =>
        (c.field === f.key || (f.key === 'firstName' && c.field === 'fullName')) &&
        c.confidence >= AUTO_START_CONFIDENCE,
    ),
  );
}
