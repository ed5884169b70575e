// The history: the workspace's imports, newest first, each opening its detail; the records, paged.
import type { Api } from './api.js';
import { byId, el, show } from './dom.js';
import { facts, when } from './facts.js';
import { countsLine, DOOR_NAMES, STATUS_NAMES } from './mapping.js';
import type { Field, ImportSummary, ImportView, RecordType, RecordsPage } from './types.js';

const RECORDS_PER_PAGE = 20;

export interface HistoryDeps {
  api(): Api | null;
  fail(e: unknown): void;
  downloadReport(view: ImportView | null): Promise<void>;
  undo(view: ImportView | null, after: (v: ImportView) => void): Promise<void>;
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
    detail = await api.json<ImportView>('GET', `/imports/${id}`);
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
  show(byId('detail-report'), view.counts.skipped + view.counts.flagged > 0);
  const changed = view.counts.imported + view.counts.updated;
  show(byId('detail-undo'), view.status === 'completed' && !view.dryRun && changed > 0);
  show(byId('detail'), true);
  byId('detail').focus();
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
  byId('detail-report').addEventListener('click', () => void deps.downloadReport(detail));
  byId('detail-undo').addEventListener(
    'click',
    () =>
      void deps.undo(detail, (v) => {
        detail = v;
        renderDetail(v);
        void loadHistory();
      }),
  );
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
