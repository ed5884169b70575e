import { Api, ApiError, Field, ImportView, OnDuplicate, RecordType } from './api.js';
import { unmappedList } from './custom-columns.js';
import { byId, el, save, show } from './dom.js';
import { facts, undoneSentence } from './facts.js';
import { forgetHistory, refreshHistory, wireHistory } from './history.js';
import { learnedNote } from './learned.js';
import {
  ACTIVE,
  changesFor,
  countsLine,
  fieldRows,
  labelOf,
  missingSentence,
  shownFields,
  progressOf,
  STATUS_NAMES,
} from './mapping.js';

const KEY = 'intake.apiKey';
const POLL_MS = 700;
const DRY_RUN_SENTENCE = 'Dry run started: I will read and check every row and write nothing.';

let api: Api | null = null;
let current: ImportView | null = null;
let fields: Field[] = [];

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

function chosenDuplicates(): OnDuplicate {
  const value = document.querySelector<HTMLInputElement>('input[name="duplicates"]:checked')?.value;
  return value === 'update' || value === 'fill' ? value : 'skip';
}

// ---- signing in and out -------------------------------------------------------------------------------

function signedIn(key: string): void {
  api = new Api(key);
  show(byId('sign-in'), false);
  show(byId('nav'), true);
  showSection('import');
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
  for (const id of ['mapping', 'run', 'summary', 'notice', 'upload-progress']) show(byId(id), false);
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
    await showMapping(view);
  } catch (e) {
    fail(e, byId('import-error'));
  }
}

async function loadFields(type: RecordType): Promise<void> {
  if (!api) return;
  fields = (await api.json<{ fields: Field[] }>('GET', `/fields/${type}`)).fields;
}

async function showMapping(view: ImportView): Promise<void> {
  current = view;
  if (fields.length === 0 || view.type !== chosenType()) await loadFields(view.type);
  const radio = document.querySelector<HTMLInputElement>(`input[name="type"][value="${view.type}"]`);
  if (radio) radio.checked = true;
  byId('mapping-file').textContent =
    `${view.fileName}: ${view.columns.length} columns, imported as ${view.type}.`;
  const body = byId('mapping-rows');
  body.replaceChildren(
    ...fieldRows(shownFields(fields, view.columns), view.columns).map(({ field, column }) => {
      const id = `map-${field.key}`;
      const select = el('select', { id, 'data-field': field.key });
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
      select.addEventListener(
        'change',
        () => void remap(field.key, select.value === '' ? null : Number(select.value)),
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
          column && api ? learnedNote(api, view.type, column, field.label) : null,
        ),
      );
    }),
  );
  byId('unmapped').replaceChildren(...unmappedList(view.columns, (index) => void keepCustom(index)));
  const problems = [missingSentence(fields, view.missingRequired)];
  for (const c of view.conflicts)
    problems.push(`Several columns feed ${labelOf(fields, c.field)}: choose one.`);
  byId('missing').textContent = problems.join(' ');
  byId('missing').classList.toggle('error', view.missingRequired.length > 0 || view.conflicts.length > 0);
  const blocked = view.missingRequired.length > 0 || view.conflicts.length > 0;
  byId<HTMLButtonElement>('start').disabled = blocked;
  byId<HTMLButtonElement>('dry-run').disabled = blocked;
  const dup = document.querySelector<HTMLInputElement>(
    `input[name="duplicates"][value="${view.onDuplicate}"]`,
  );
  if (dup) dup.checked = true;
  show(byId('mapping'), true);
}

async function remap(fieldKey: string, columnIndex: number | null): Promise<void> {
  if (!api || !current) return;
  try {
    const columns = changesFor(current.columns, fieldKey, columnIndex);
    const view = await api.json<ImportView>('PUT', `/imports/${current.id}/mapping`, { columns });
    await showMapping(view);
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
    await showMapping(await api.json<ImportView>('PUT', `/imports/${current.id}/mapping`, { columns }));
  } catch (e) {
    fail(e, byId('import-error'));
  }
}

async function changeType(): Promise<void> {
  if (!api || !current || current.status !== 'awaiting_mapping') return;
  try {
    await loadFields(chosenType());
    const view = await api.json<ImportView>('PUT', `/imports/${current.id}/mapping`, { type: chosenType() });
    await showMapping(view);
  } catch (e) {
    fail(e, byId('import-error'));
  }
}

async function start(dryRun: boolean): Promise<void> {
  if (!api || !current) return;
  clearErrors();
  try {
    const res = await api.json<{ message: string; import: ImportView }>(
      'POST',
      `/imports/${current.id}/start`,
      {
        dryRun,
        onDuplicate: chosenDuplicates(),
      },
    );
    const notice = byId('notice');
    // The API answers every start with the import sentence; a dry run writes nothing, so it must not
    // promise records (Slack and email say the same).
    notice.textContent = dryRun ? DRY_RUN_SENTENCE : res.message;
    show(notice, true);
    show(byId('mapping'), false);
    show(byId('summary'), false);
    current = res.import;
    await follow(current.id);
  } catch (e) {
    fail(e, byId('import-error'));
  }
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
}

async function poll(id: string, until: (v: ImportView) => boolean, each: (v: ImportView) => void) {
  for (;;) {
    if (!api) throw new Error('Signed out.');
    const view = await api.json<ImportView>('GET', `/imports/${id}`);
    each(view);
    if (until(view)) return view;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function follow(id: string): Promise<void> {
  const view = await poll(id, (v) => !ACTIVE.has(v.status), renderRun);
  current = view;
  renderRun(view);
  showSummary(view);
}

function summarySentence(view: ImportView): string {
  if (view.rollback) return `Import undone: ${undoneSentence(view.rollback)}.`;
  if (view.status === 'completed' && view.dryRun)
    return 'Dry run finished: nothing was written. Import runs it for real.';
  if (view.status === 'completed') return 'Import finished.';
  return `Import ${STATUS_NAMES[view.status].toLowerCase()}.`;
}

function showSummary(view: ImportView): void {
  byId('summary-text').textContent = summarySentence(view);
  byId('summary-counts').replaceChildren(...facts(view));
  show(byId('report'), view.counts.skipped + view.counts.flagged > 0);
  const changed = view.counts.imported + view.counts.updated;
  show(byId('undo'), view.status === 'completed' && !view.dryRun && changed > 0);
  show(byId('summary'), true);
  if (view.status === 'completed' && view.dryRun) {
    // A dry run is followed by the real thing from the same mapping.
    show(byId('mapping'), true);
  }
  byId('summary').focus();
}

async function downloadReport(view: ImportView | null): Promise<void> {
  if (!api || !view) return;
  try {
    const { blob, name } = await api.file(`/imports/${view.id}/report`);
    save(blob, name);
  } catch (e) {
    fail(e);
  }
}

/** Asks in a modal dialog; resolves true only when the person confirms. */
function confirmUndo(view: ImportView): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>('confirm-undo');
  byId('confirm-text').textContent =
    `This deletes the ${view.counts.imported} records that ${view.fileName} created and puts back the previous ` +
    `values of the ${view.counts.updated} it updated. Records changed again since are kept as they are.`;
  dialog.showModal();
  byId('confirm-no').focus();
  return new Promise((resolve) => {
    const done = (answer: boolean) => {
      byId('confirm-yes').removeEventListener('click', yes);
      byId('confirm-no').removeEventListener('click', no);
      dialog.removeEventListener('cancel', no);
      dialog.close();
      resolve(answer);
    };
    const yes = () => done(true);
    const no = () => done(false);
    byId('confirm-yes').addEventListener('click', yes);
    byId('confirm-no').addEventListener('click', no);
    dialog.addEventListener('cancel', no);
  });
}

async function undo(view: ImportView | null, after: (v: ImportView) => void): Promise<void> {
  if (!api || !view) return;
  if (!(await confirmUndo(view))) return;
  try {
    await api.json<ImportView>('POST', `/imports/${view.id}/rollback`);
    const done = await poll(
      view.id,
      (v) => v.status !== 'rolling_back',
      () => undefined,
    );
    after(done);
  } catch (e) {
    fail(e);
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
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="type"]')) {
    radio.addEventListener('change', () => void changeType());
  }
  setupDrop();
  byId('dry-run').addEventListener('click', () => void start(true));
  byId('start').addEventListener('click', () => void start(false));
  byId('report').addEventListener('click', () => void downloadReport(current));
  byId('undo').addEventListener(
    'click',
    () =>
      void undo(current, (v) => {
        current = v;
        showSummary(v);
        renderRun(v);
      }),
  );
  byId('again').addEventListener('click', () => {
    resetImport();
    byId('file').focus();
  });
  wireHistory({ api: () => api, fail, downloadReport, undo });
}

wire();
const saved = sessionStorage.getItem(KEY);
if (saved) signedIn(saved);
else signOut();
