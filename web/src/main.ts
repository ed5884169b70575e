import { perform } from './acting.js';
import { Api, ApiError, Field, ImportView, OnDuplicate, RecordType } from './api.js';
import { unmappedList } from './custom-columns.js';
import { byId, save, show } from './dom.js';
import { facts, undoneSentence } from './facts.js';
import { actsList, forgetHistory, refreshHistory, wireHistory } from './history.js';
import { mappingRows } from './mapping-editor.js';
import { learnedNote } from './learned.js';
import {
  ACTIVE,
  changesFor,
  countsLine,
  labelOf,
  missingSentence,
  shownFields,
  progressOf,
  STATUS_NAMES,
} from './mapping.js';
import { clearOffers, confirmOffer, renderOffers } from './offers.js';
import type { Offer, OfferKind } from './types.js';

const KEY = 'intake.apiKey';
const POLL_MS = 700;
/** The offers of an import awaiting its mapping, shown around the mapping editor. */
const CHOOSING = new Set<OfferKind>(['choose_sheet', 'change_type']);
const STARTING = new Set<OfferKind>(['start', 'dry_run', 'cancel']);
/** Acts after which the import is read again, so that its history holds them. */
const ENDING = new Set<OfferKind>(['cancel', 'undo']);
/** An import opened by its address: `#import=<id>`. */
const OPEN = /^#import=([A-Za-z0-9_-]{1,64})$/;

let api: Api | null = null;
let current: ImportView | null = null;
let fields: Field[] = [];
let fieldsType: RecordType | null = null;
/** Raised whenever the import screen shows another import, so an older poll stops drawing. */
let following = 0;

function fail(e: unknown, where = byId('error')): void {
  where.textContent = e instanceof Error ? e.message : 'Something went wrong.';
  if (e instanceof ApiError && e.status === 401) signOut('Your API key was refused. Sign in again.');
}

function clearErrors(): void {
  for (const id of ['error', 'import-error', 'sign-in-error']) byId(id).textContent = '';
}

function chosenType(): RecordType {
  return (document.querySelector<HTMLInputElement>('input[name="type"]:checked')?.value ??
    'clients') as RecordType;
}

// ---- signing in and out -------------------------------------------------------------------------------

function signedIn(key: string): void {
  api = new Api(key);
  show(byId('sign-in'), false);
  show(byId('nav'), true);
  showSection('import');
  void openFromAddress();
}

function signOut(message = ''): void {
  sessionStorage.removeItem(KEY);
  api = null;
  current = null;
  forgetHistory();
  resetImport();
  show(byId('nav'), false);
  show(byId('import'), false);
  show(byId('history'), false);
  show(byId('sign-in'), true);
  byId<HTMLInputElement>('api-key').value = '';
  byId('sign-in-error').textContent = message;
  byId('api-key').focus();
}

async function onSignIn(e: SubmitEvent): Promise<void> {
  e.preventDefault();
  clearErrors();
  const key = byId<HTMLInputElement>('api-key').value.trim();
  if (!key) {
    byId('sign-in-error').textContent = 'Enter your workspace API key.';
    return;
  }
  try {
    await new Api(key).json('GET', '/imports?limit=1');
  } catch (err) {
    byId('sign-in-error').textContent =
      err instanceof ApiError && err.status === 401 ? 'That API key was refused.' : (err as Error).message;
    return;
  }
  sessionStorage.setItem(KEY, key);
  byId<HTMLInputElement>('api-key').value = '';
  signedIn(key);
}

function showSection(which: 'import' | 'history'): void {
  show(byId('import'), which === 'import');
  show(byId('history'), which === 'history');
  byId('nav-import').toggleAttribute('aria-current', false);
  byId('nav-history').toggleAttribute('aria-current', false);
  byId(`nav-${which}`).setAttribute('aria-current', 'page');
  byId(`${which}-title`).setAttribute('tabindex', '-1');
  byId(`${which}-title`).focus();
  if (which === 'history') void refreshHistory();
}

// ---- the import screen --------------------------------------------------------------------------------

function resetImport(): void {
  current = null;
  following++;
  for (const id of ['mapping', 'run', 'summary', 'notice', 'upload-progress']) show(byId(id), false);
  for (const id of ['mapping-choices', 'mapping-offers', 'run-offers', 'summary-offers'])
    clearOffers(byId(id));
  delete byId('import').dataset.importId;
  byId<HTMLInputElement>('file').value = '';
}

async function downloadSample(): Promise<void> {
  if (!api) return;
  try {
    const { blob, name } = await api.file(`/templates/${chosenType()}`);
    save(blob, name);
  } catch (e) {
    fail(e, byId('import-error'));
  }
}

async function upload(file: File): Promise<void> {
  if (!api) return;
  clearErrors();
  resetImport();
  const bar = byId<HTMLProgressElement>('upload-bar');
  bar.value = 0;
  byId('upload-progress').querySelector('label')!.textContent = `Uploading ${file.name}`;
  show(byId('upload-progress'), true);
  try {
    const view = await api.upload(file, chosenType(), (sent, total) => {
      bar.value = Math.round((sent / Math.max(1, total)) * 100);
    });
    bar.value = 100;
    byId('upload-progress').querySelector('label')!.textContent = `Uploaded ${file.name}`;
    await showImport(view);
  } catch (e) {
    fail(e, byId('import-error'));
  }
}

async function loadFields(type: RecordType): Promise<void> {
  if (!api) return;
  fields = (await api.json<{ fields: Field[] }>('GET', `/fields/${type}`)).fields;
  fieldsType = type;
}

/** Shows an import as it is now: its mapping, its progress or how it ended, with what may be done. */
async function showImport(view: ImportView): Promise<void> {
  current = view;
  if (view.status === 'awaiting_mapping') {
    await showMapping(view);
    show(byId('run'), false);
    show(byId('summary'), false);
  } else {
    show(byId('mapping'), false);
    renderRun(view);
    if (ACTIVE.has(view.status)) show(byId('summary'), false);
    else showSummary(view);
  }
  byId('import').dataset.importId = view.id;
}

async function showMapping(view: ImportView): Promise<void> {
  current = view;
  if (fields.length === 0 || fieldsType !== view.type) await loadFields(view.type);
  const radio = document.querySelector<HTMLInputElement>(`input[name="type"][value="${view.type}"]`);
  if (radio) radio.checked = true;
  const editable = view.actions.some((o) => o.kind === 'change_columns');
  byId('mapping-file').textContent =
    `${view.fileName}${view.sheet ? ` (sheet ${view.sheet})` : ''}: ${view.columns.length} columns, ` +
    `imported as ${view.type}.`;
  renderOffers(
    byId('mapping-choices'),
    view,
    CHOOSING,
    (o, c) => void onOffer(view, o, c, showImport),
    'import',
  );
  const body = byId('mapping-rows');
  body.toggleAttribute('data-offer', editable);
  if (editable) body.dataset.offer = 'change_columns';
  body.replaceChildren(
    ...mappingRows(
      view,
      shownFields(fields, view.columns),
      editable,
      (key, index) => void remap(key, index),
      (column, label) => (api ? learnedNote(api, view.type, column, label) : null),
    ),
  );
  byId('unmapped').replaceChildren(
    ...(editable ? unmappedList(view.columns, (index) => void keepCustom(index)) : []),
  );
  const problems = [missingSentence(fields, view.missingRequired)];
  for (const c of view.conflicts)
    problems.push(`Several columns feed ${labelOf(fields, c.field)}: choose one.`);
  byId('missing').textContent = problems.join(' ');
  byId('missing').classList.toggle('error', view.missingRequired.length > 0 || view.conflicts.length > 0);
  const starts = view.actions.some((o) => o.kind === 'start' || o.kind === 'dry_run');
  show(byId('duplicates'), starts);
  const dup = document.querySelector<HTMLInputElement>(
    `input[name="duplicates"][value="${view.onDuplicate}"]`,
  );
  if (dup) dup.checked = true;
  renderOffers(
    byId('mapping-offers'),
    view,
    STARTING,
    (o, c) => void onOffer(view, o, c, showImport),
    'import',
  );
  show(byId('mapping'), true);
}

async function remap(fieldKey: string, columnIndex: number | null): Promise<void> {
  if (!api || !current) return;
  try {
    const columns = changesFor(current.columns, fieldKey, columnIndex);
    const view = await api.json<ImportView>('PUT', `/imports/${current.id}/mapping`, { columns });
    await showImport(view);
    byId(`map-${fieldKey}`).focus();
  } catch (e) {
    fail(e, byId('import-error'));
  }
}

/** Keeps a column as a custom field named after its header. */
async function keepCustom(index: number): Promise<void> {
  if (!api || !current) return;
  try {
    const columns = [{ index, field: 'custom' }];
    await showImport(await api.json<ImportView>('PUT', `/imports/${current.id}/mapping`, { columns }));
  } catch (e) {
    fail(e, byId('import-error'));
  }
}

/**
 * Does what the person chose, after asking when the offer is destructive, then draws the import with
 * `shown` (the import screen or the history's detail) until it settles.
 */
async function onOffer(
  view: ImportView,
  offer: Offer,
  choice: string | undefined,
  shown: (v: ImportView) => void | Promise<void>,
): Promise<void> {
  if (!api) return;
  clearErrors();
  if (offer.kind === 'change_columns') return openImport(view);
  if (offer.confirm && !(await confirmOffer(offer))) return;
  const onImportScreen = shown === showImport;
  const where = onImportScreen ? byId('import-error') : byId('error');
  try {
    const done = await perform(api, view, offer, choice, chosenDuplicates(view));
    // An answer that ends the conversation may predate its own act in the history: read it again.
    if (ENDING.has(offer.kind) && !ACTIVE.has(done.view.status))
      done.view = await api.json<ImportView>('GET', `/imports/${encodeURIComponent(done.view.id)}`);
    if (onImportScreen && offer.kind !== 'download_report') {
      const notice = byId('notice');
      if (done.notice) notice.textContent = done.notice;
      show(notice, Boolean(done.notice));
    }
    await shown(done.view);
    if (ACTIVE.has(done.view.status)) await follow(done.view.id, shown);
  } catch (e) {
    fail(e, where);
  }
}

/** The policy for existing records: the one chosen on the import screen, else the import's own. */
function chosenDuplicates(view: ImportView): OnDuplicate {
  if (byId('mapping').hidden || current?.id !== view.id) return view.onDuplicate;
  const value = document.querySelector<HTMLInputElement>('input[name="duplicates"]:checked')?.value;
  return value === 'update' || value === 'fill' ? value : 'skip';
}

function renderRun(view: ImportView): void {
  show(byId('run'), true);
  const bar = byId<HTMLProgressElement>('run-bar');
  bar.value = Math.round(progressOf(view) * 100);
  byId('run-label').textContent =
    view.status === 'queued'
      ? view.waiting
        ? `Queued (${view.waiting})`
        : 'Waiting for a worker…'
      : `${STATUS_NAMES[view.status]}: ${bar.value}%`;
  byId('run-counts').textContent = countsLine(view.counts, view.dryRun);
  if (ACTIVE.has(view.status))
    renderOffers(byId('run-offers'), view, 'all', (o, c) => void onOffer(view, o, c, showImport), 'import');
  else clearOffers(byId('run-offers'));
}

/** Draws the import with `shown` every poll until it is no longer moving (or another is shown). */
async function follow(id: string, shown: (v: ImportView) => void | Promise<void>): Promise<void> {
  const mine = ++following;
  for (;;) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    if (!api) return;
    if (mine !== following) return;
    const view = await api.json<ImportView>('GET', `/imports/${encodeURIComponent(id)}`);
    if (mine !== following) return;
    await shown(view);
    if (!ACTIVE.has(view.status)) return;
  }
}

function summarySentence(view: ImportView): string {
  if (view.rollback) return `Import undone: ${undoneSentence(view.rollback)}.`;
  if (view.status === 'completed' && view.dryRun)
    return 'Dry run finished: nothing was written. Run it for real to write the records.';
  if (view.status === 'completed') return 'Import finished.';
  return `Import ${STATUS_NAMES[view.status].toLowerCase()}.`;
}

function showSummary(view: ImportView): void {
  const opening = byId('summary').hidden;
  byId('summary-text').textContent = summarySentence(view);
  byId('summary-counts').replaceChildren(...facts(view));
  byId('summary-acts').replaceChildren(...actsList(view.history));
  renderOffers(byId('summary-offers'), view, 'all', (o, c) => void onOffer(view, o, c, showImport), 'import');
  show(byId('summary'), true);
  if (opening) byId('summary').focus();
}

/** Shows an import on the import screen, following it while it moves. */
async function openImport(view: ImportView): Promise<void> {
  showSection('import');
  resetImport();
  await showImport(view);
  if (ACTIVE.has(view.status)) await follow(view.id, showImport);
}

/** Opens the import the address names (`#import=<id>`), once signed in. */
async function openFromAddress(): Promise<void> {
  const id = OPEN.exec(location.hash)?.[1];
  if (!api || !id) return;
  try {
    await openImport(await api.json<ImportView>('GET', `/imports/${id}`));
  } catch (e) {
    fail(e, byId('import-error'));
  }
}

function setupDrop(): void {
  const drop = byId('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) void upload(file);
  });
  byId<HTMLInputElement>('file').addEventListener('change', (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) void upload(file);
  });
}

// ---- wiring -------------------------------------------------------------------------------------------

function wire(): void {
  byId<HTMLFormElement>('sign-in-form').addEventListener('submit', (e) => void onSignIn(e));
  byId('sign-out').addEventListener('click', () => signOut('Signed out.'));
  byId('nav-import').addEventListener('click', () => showSection('import'));
  byId('nav-history').addEventListener('click', () => showSection('history'));
  byId('sample').addEventListener('click', () => void downloadSample());
  setupDrop();
  byId('again').addEventListener('click', () => {
    resetImport();
    byId('file').focus();
  });
  wireHistory({
    api: () => api,
    fail,
    act: (view, offer, choice, shown) => void onOffer(view, offer, choice, shown),
  });
  window.addEventListener('hashchange', () => void openFromAddress());
}

wire();
const saved = sessionStorage.getItem(KEY);
if (saved) signedIn(saved);
else signOut();
