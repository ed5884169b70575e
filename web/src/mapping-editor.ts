// The mapping editor's rows: one per system field, with a select of the file's columns that feed it.
import { el } from './dom.js';
import { fieldRows } from './mapping.js';
import type { Column, Field, ImportView } from './types.js';

/** The table's rows; `editable` false (the columns cannot change now) leaves every select disabled. */
export function mappingRows(
  view: ImportView,
  fields: readonly Field[],
  editable: boolean,
  remap: (fieldKey: string, columnIndex: number | null) => void,
  note: (column: Column, fieldLabel: string) => HTMLElement | null = () => null,
): HTMLElement[] {
  return fieldRows(fields, view.columns).map(({ field, column }) => {
    const id = `map-${field.key}`;
    const select = el('select', { id, 'data-field': field.key, disabled: !editable });
    select.append(el('option', { value: '' }, "Don't import"));
    for (const c of view.columns) {
      select.append(
        el(
          'option',
          { value: String(c.index), selected: c.index === column?.index },
          c.header || `Column ${c.index + 1}`,
        ),
      );
    }
    select.addEventListener('change', () =>
      remap(field.key, select.value === '' ? null : Number(select.value)),
    );
    const missing = field.required && view.missingRequired.includes(field.key);
    return el(
      'tr',
      { class: missing ? 'missing' : undefined },
      el(
        'th',
        { scope: 'row' },
        el('label', { for: id }, field.label),
        field.required ? el('span', { class: 'required', title: 'required' }, ' *') : null,
        field.required ? el('span', { class: 'sr-only' }, ' (required)') : null,
      ),
      el('td', {}, select),
      el('td', {}, column ? column.samples.filter((s) => s !== '').join(', ') : ''),
      el(
        'td',
        {},
        column ? `${Math.round(column.confidence * 100)}%` : '',
        column ? note(column, field.label) : null,
      ),
    );
  });
}
