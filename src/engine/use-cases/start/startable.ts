import { targetLabel } from '../../../core/custom-field';
import { fieldDef } from '../../../core/field-catalog';
import { IntakeError } from '../../../core/intake-error';
import type { Import } from '../../imports/import.schema';
import { toImportView } from '../../imports/import-view';

/** Refuses a start while a required field is unmapped or two columns claim one field. */
export function assertStartable(imp: Import): void {
  const view = toImportView(imp);
  if (view.missingRequired.length) {
    const labels = view.missingRequired.map((k) => fieldDef(k).label).join(', ');
    throw new IntakeError(
      'missing_required',
      `Required field${view.missingRequired.length > 1 ? 's' : ''} not mapped: ${labels}. ` +
        `Map a column to ${view.missingRequired.length > 1 ? 'them' : 'it'}.`,
      { missingRequired: view.missingRequired, type: imp.type },
    );
  }
  const c = view.conflicts[0];
  if (c) {
    const headers = c.columns.map((i) => `"${imp.mapping[i]?.header}"`).join(' and ');
    throw new IntakeError(
      'invalid_mapping',
      `${headers} are both mapped to ${targetLabel(c.field)}. Choose one.`,
    );
  }
}
