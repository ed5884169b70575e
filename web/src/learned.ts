// A suggestion the workspace learned says where from, with a button that makes the workspace forget it.
import { Api, ApiError, Column, RecordType } from './api.js';
import { el } from './dom.js';

interface Forgotten {
  forgotten: { header: string; learnedFrom: { fileName: string | null } };
}

/** "learned from march.csv (2026-12-07)" and a Forget button; null for a column nothing taught. */
export function learnedNote(
  api: Api,
  type: RecordType,
  column: Column,
  fieldLabel: string,
): HTMLElement | null {
  const from = column.learnedFrom;
  if (!from) return null;
  const header = column.header || `Column ${column.index + 1}`;
  const day = from.at.slice(0, 10);
  const note = el(
    'span',
    { class: 'learned' },
    ` learned from ${from.fileName ?? 'an earlier import'} (${day}) `,
  );
  const button = el(
    'button',
    { type: 'button', class: 'forget', 'aria-label': `Forget what was learned for ${header}` },
    'Forget',
  );
  const told = el('span', { class: 'learned', role: 'status' });
  button.addEventListener('click', () => {
    button.disabled = true;
    const path = `/mappings/${type}/${encodeURIComponent(column.header)}`;
    api
      .json<Forgotten>('DELETE', path)
      .then((res) => {
        note.remove();
        button.remove();
        told.textContent =
          ` Forgotten: "${res.forgotten.header}" → ${fieldLabel}` +
          `${res.forgotten.learnedFrom.fileName ? ` (learned from ${res.forgotten.learnedFrom.fileName})` : ''}. ` +
          'Your next files get a fresh suggestion; this one keeps its mapping.';
      })
      .catch((e: unknown) => {
        button.disabled = false;
        told.textContent = ` ${e instanceof ApiError ? e.message : 'The workspace could not forget it.'}`;
      });
  });
  return el('span', {}, note, button, told);
}
