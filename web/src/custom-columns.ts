// The columns no field takes, each with a button that keeps it as a custom field.
import { el } from './dom.js';
import { unmappedColumns } from './mapping.js';
import type { Column } from './types.js';

export function unmappedList(columns: readonly Column[], keep: (index: number) => void): HTMLElement[] {
  const left = unmappedColumns(columns);
  if (left.length === 0) return [];
  return [
    el('span', {}, 'Not imported: '),
    ...left.map((c) => {
      const name = c.header || `Column ${c.index + 1}`;
      const button = el('button', { type: 'button', class: 'link' }, `Keep "${name}" as a custom field`);
      button.addEventListener('click', () => keep(c.index));
      return el('span', { class: 'unmapped' }, button, ' ');
    }),
  ];
}
