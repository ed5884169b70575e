// The history: the workspace's imports, newest first, each opening its detail; the records, paged.
import type { Api } from './api.js';
import { byId, el, show } from './dom.js';
import { facts, when } from './facts.js';
import { ACTIVE, countsLine, DOOR_NAMES, STATUS_NAMES } from './mapping.js';
import { renderOffers } from './offers.js';
import type { Field, ImportAct, ImportSummary, ImportView, Offer, RecordType, RecordsPage } from './types.js';

const RECORDS_PER_PAGE = 20;

export interface HistoryDeps {
  api(): Api | null;
  fail(e: unknown): void;
  /** Does what the person chose from the detail; `shown` draws the import again as it goes. */
  act(view: ImportView, offer: Offer, choice: string | undefined, shown: (v: ImportView) => void): void;
}

const ACT_NAMES: Record<ImportAct['act'], string> = {
  start: 'Started',
  dry_run: 'Dry run started',
  run_for_real: 'Run for real',
  choose_sheet: 'Sheet chosen',
  change_type: 'Type changed',
  change_columns: 'Columns changed',
  cancel: 'Cancelled',
  retry: 'Retried',
  undo: 'Undone',
  update_existing: 'Existing records updated',
};

/** "Undone by ana@example.com through Email": who did what, through which door, oldest first. */
export function actsList(history: readonly ImportAct[]): HTMLElement[] {
  if (history.length === 0) return [];
  return [
    el(
      'ol',
      { class: 'acts', 'aria-label': 'Who acted' },
      ...history.map((a) =>
        el(
          'li',
          { 'data-act': a.act },
          el('time', { datetime: a.at }, when(a.at)),
          ` ${ACT_NAMES[a.act] ?? a.act}${a.person ? ` by ${a.person}` : ''} through ${DOOR_NAMES[a.door] ?? a.door}`,
        ),
      ),
    ),
  ];
}

let deps: HistoryDeps;
let detail: ImportView | null = null;
let recordsPage = 1;

async function loadHistory(): Promise<void> {
  const api = deps.api();
  if (!api) return;
  try {
    const list = await api.json<ImportSummary[]>('GET', '/imports?limit=100');
    byId('history-rows').replaceChildren(
      ...list.map((v) => {
        const open = el('button', { type: 'button', class: 'link' }, v.fileName);
        open.addEventListener('click', () => void openDetail(v.id));
        return el(
          'tr',
          {},
          el('td', {}, open),
          el('td', {}, DOOR_NAMES[v.channel]),
          el('td', {}, v.by ?? '—'),
          el('td', {}, el('time', { datetime: v.createdAt }, when(v.createdAt))),
          el('td', {}, STATUS_NAMES[v.status] + (v.dryRun ? ' (dry run)' : '')),
          el('td', {}, countsLine(v.counts, v.dryRun)),
        );
      }),
    );
    if (list.length === 0)
      byId('history-rows').append(el('tr', {}, el('td', { colspan: '6' }, 'No imports yet.')));
  } catch (e) {
    deps.fail(e);
  }
}

async function openDetail(id: string): Promise<void> {
  const api = deps.api();
  if (!api) return;
  try {
    detail = await api.json<ImportView>('GET', `/imports/${encodeURIComponent(id)}`);
    show(byId('detail'), false);
    renderDetail(detail);
  } catch (e) {
    deps.fail(e);
  }
}

function renderDetail(view: ImportView): void {
  byId('detail-title').textContent = `Import ${view.fileName}`;
  const extra: [string, string][] = [
    ['Door', DOOR_NAMES[view.channel]],
    ['Who', view.by ?? '—'],
    ['Uploaded', when(view.createdAt)],
  ];
  byId('detail-facts').replaceChildren(
    ...extra.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]),
    ...facts(view),
  );
  byId('detail-acts').replaceChildren(...actsList(view.history));
  renderOffers(
    byId('detail-offers'),
    view,
    'all',
    (offer, choice) => deps.act(view, offer, choice, shown),
    'detail',
  );
  const opening = byId('detail').hidden;
  show(byId('detail'), true);
  if (opening) byId('detail').focus();
}

/** The detail drawn again after an act, and the list with it once the act is over. */
function shown(view: ImportView): void {
  if (detail?.id !== view.id) return;
  detail = view;
  renderDetail(view);
  if (!ACTIVE.has(view.status)) void loadHistory();
}

async function loadRecords(): Promise<void> {
  const api = deps.api();
  if (!api) return;
  const type = byId<HTMLSelectElement>('records-type').value as RecordType;
  try {
    const [page, catalog] = await Promise.all([
      api.json<RecordsPage>('GET', `/records/${type}?page=${recordsPage}&limit=${RECORDS_PER_PAGE}`),
      api.json<{ fields: Field[] }>('GET', `/fields/${type}`),
    ]);
    const shown = catalog.fields
      .filter((f) => page.items.some((r) => r.fields[f.key] !== undefined))
      .slice(0, 6);
    byId('records-head').replaceChildren(
      el(
        'tr',
        {},
        ...shown.map((f) => el('th', { scope: 'col' }, f.label)),
        el('th', { scope: 'col' }, 'Added'),
      ),
    );
    byId('records-rows').replaceChildren(
      ...page.items.map((r) =>
        el(
          'tr',
          {},
          ...shown.map((f) => el('td', {}, text(r.fields[f.key]))),
          el('td', {}, when(r.createdAt)),
        ),
      ),
    );
    const pages = Math.max(1, Math.ceil(page.total / page.limit));
    byId('records-page').textContent = `Page ${page.page} of ${pages} (${page.total} ${type})`;
    byId<HTMLButtonElement>('records-prev').disabled = page.page <= 1;
    byId<HTMLButtonElement>('records-next').disabled = page.page >= pages;
  } catch (e) {
    deps.fail(e);
  }
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** Shows the history section's data afresh. */
export async function refreshHistory(): Promise<void> {
  await loadHistory();
  await loadRecords();
}

export function forgetHistory(): void {
  detail = null;
  show(byId('detail'), false);
}

export function wireHistory(d: HistoryDeps): void {
  deps = d;
  byId('history-refresh').addEventListener('click', () => void loadHistory());
  byId('records-type').addEventListener('change', () => {
    recordsPage = 1;
    void loadRecords();
  });
  byId('records-prev').addEventListener('click', () => {
    recordsPage = Math.max(1, recordsPage - 1);
    void loadRecords();
  });
  byId('records-next').addEventListener('click', () => {
    recordsPage += 1;
    void loadRecords();
  });
}
