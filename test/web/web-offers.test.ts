import { Readable } from 'node:stream';
import { OFFER_KINDS, type OfferKind } from '../../src/engine/conversation/offers';
import type { ImportView } from '../../src/engine/imports/import-view';
import { Harness, importCsv, startHarness, uploadCsv, waitForEnd } from '../support/intake-harness';
import { twoSheetBook } from '../support/workbooks';
import { Browsing, buildWebPage, openBrowser } from './web-browser';
import { openImportOnPage, webControlsFor } from './web-offers';

// The import conversation's offers on the page, in a real Chromium against the real app: each offer of
// the view has its control, destructive ones ask first in the offer's words, and nothing else is shown.
let h: Harness;
let b: Browsing;

const PEOPLE = 'First Name,Email\nAna,ana@example.com\nBob,bob@example\nCleo,cleo@example.org\n';

beforeAll(async () => {
  buildWebPage();
  h = await startHarness('web-offers');
  b = await openBrowser();
  await b.page.goto(h.url);
  await b.page.getByLabel('Workspace API key').fill(h.apiKey);
  await b.page.getByRole('button', { name: 'Sign in' }).click();
  await b.page.getByRole('heading', { name: 'Import', exact: true }).waitFor();
});
afterAll(async () => {
  await b?.close();
  await h?.close();
});

async function apiView(id: string): Promise<ImportView> {
  return h.imports.get(h.workspaceId, id);
}

async function recordCount(type = 'clients'): Promise<number> {
  const res = await fetch(`${h.url}/records/${type}?limit=1`, {
    headers: { Authorization: `Bearer ${h.apiKey}` },
  });
  return ((await res.json()) as { total: number }).total;
}

/** Uploads through the page's file input and waits for the mapping of that file. */
async function uploadOnPage(name: string, buffer: Buffer, type = 'Clients'): Promise<string> {
  const { page } = b;
  await page.getByRole('button', { name: 'Import', exact: true }).first().click();
  if (await page.getByRole('button', { name: 'Import another file' }).isVisible())
    await page.getByRole('button', { name: 'Import another file' }).click();
  await page.getByLabel(type, { exact: true }).check();
  await page
    .getByLabel('Choose a CSV file')
    .setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
  await page.locator('#mapping-file', { hasText: name }).waitFor();
  return (await page.locator('#import').getAttribute('data-import-id'))!;
}

/** The page shows exactly the view's offers, and returns them. */
async function pageMatchesApi(id: string): Promise<OfferKind[]> {
  const offered = (await apiView(id)).actions.map((o) => o.kind);
  expect(await webControlsFor(b.page)).toEqual(OFFER_KINDS.filter((k) => offered.includes(k)));
  return offered;
}

describe('a two-sheet workbook awaiting its mapping', () => {
  let id: string;

  test('the sheet is chosen from a select of the workbook sheets', async () => {
    id = await uploadOnPage('book.xlsx', await twoSheetBook());
    const { page } = b;
    await page.locator('#mapping-file', { hasText: '(sheet Leads)' }).waitFor();
    const sheet = page.locator('#import').getByLabel('Choose the sheet');
    expect(await sheet.locator('option').allTextContents()).toEqual(['Leads', 'Clients']);
    expect(await sheet.inputValue()).toBe('Leads');
    await sheet.selectOption('Clients');
    await page.locator('#mapping-file', { hasText: '(sheet Clients): 4 columns' }).waitFor();
    expect(await page.locator('#map-phone option:checked').textContent()).toBe('Phone');
    expect((await apiView(id)).sheet).toBe('Clients');
    await b.shot('offers-01-sheet-chosen');
  });

  test('the type is changed from a select of the other types', async () => {
    const { page } = b;
    const type = page.locator('#import').getByLabel('Change the type');
    expect(await type.locator('option').allTextContents()).toEqual(['clients', 'leads', 'companies']);
    await type.selectOption('leads');
    await page.locator('#mapping-file', { hasText: 'imported as leads' }).waitFor();
    await page.locator('#map-source').waitFor(); // a field only leads have
    expect((await apiView(id)).type).toBe('leads');
    expect(await page.locator('#import').getByLabel('Change the type').inputValue()).toBe('leads');
  });

  test('cancel asks first in the offer words; going back keeps the import, confirming cancels it', async () => {
    const { page } = b;
    const cancel = page.locator('#mapping [data-offer="cancel"]');
    await cancel.click();
    const dialog = page.getByRole('dialog', { name: 'Cancel import?' });
    await dialog.getByText('Cancel the import of book.xlsx? Nothing has been written yet.').waitFor();
    await b.shot('offers-02-cancel-confirm');
    await dialog.getByRole('button', { name: 'Go back' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await apiView(id)).status).toBe('awaiting_mapping');
    await cancel.click();
    await dialog.getByRole('button', { name: 'Cancel import' }).click();
    await page.locator('#summary-text', { hasText: 'Import cancelled.' }).waitFor();
    expect((await apiView(id)).status).toBe('cancelled');
    await page
      .locator('#summary-acts li[data-act="cancel"]', { hasText: 'Cancelled through Web / API' })
      .waitFor();
    expect(await webControlsFor(page)).toEqual([]);
  });
});

describe('a dry run, then the real run, then its undo', () => {
  let id: string;

  test('a dry run says it was one and offers to run it for real, which writes the records', async () => {
    const { page } = b;
    id = await uploadOnPage('people.csv', Buffer.from(PEOPLE));
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.locator('#notice', { hasText: 'Dry run started' }).waitFor();
    await page.locator('#summary-text', { hasText: 'Dry run finished: nothing was written.' }).waitFor();
    expect(await page.locator('#summary-counts').textContent()).toContain('StatusCompleted (dry run)');
    expect(await recordCount()).toBe(0);
    expect(await pageMatchesApi(id)).toContain('run_for_real');
    await page.getByRole('button', { name: 'Run it for real' }).click();
    await page.locator('#summary-text', { hasText: 'Import finished.' }).waitFor();
    expect(await recordCount()).toBe(2);
    expect((await apiView(id)).dryRun).toBe(false);
  });

  test('undo asks first; its result and who acted through which door are shown', async () => {
    const { page } = b;
    await page.locator('#summary [data-offer="undo"]').click();
    const dialog = page.getByRole('dialog', { name: 'Undo import?' });
    await dialog.getByText('Undo the import of people.csv?').waitFor();
    await dialog.getByRole('button', { name: 'Undo import' }).click();
    await page
      .locator('#summary-text', {
        hasText: 'Import undone: 2 records deleted, 0 restored, 0 kept (changed since).',
      })
      .waitFor();
    expect(await recordCount()).toBe(0);
    const acts = await page.locator('#summary-acts li').allTextContents();
    expect(acts.map((a) => a.replace(/^.*?(?=(Dry run|Run|Undone))/, ''))).toEqual([
      'Dry run started through Web / API',
      'Run for real through Web / API',
      'Undone through Web / API',
    ]);
    expect(await webControlsFor(page)).toEqual(['download_report']);
    await b.shot('offers-03-undone');
  });
});

test('every kind of offer has its control on the page, and the page shows no offer the API does not make', async () => {
  const { page } = b;
  const seen = new Set<OfferKind>();
  const look = async (id: string) => {
    await openImportOnPage(page, h.url, id);
    for (const k of await pageMatchesApi(id)) seen.add(k);
  };

  // Awaiting its mapping: start, dry run, choose the sheet, change the type, change the columns, cancel.
  const book = await h.imports.upload(h.workspaceId, Readable.from([await twoSheetBook()]), {
    fileName: 'walk.xlsx',
    channel: 'api',
  });
  await look(book.id);

  // A dry run that skipped a row: run it for real, download the report.
  const dry = await importCsv(h, PEOPLE, 'clients', { dryRun: true });
  await look(dry.id);

  // A real run that skipped rows whose record existed: undo, update existing, download the report.
  await importCsv(h, PEOPLE, 'clients');
  const again = await importCsv(h, `${PEOPLE}Dan,dan@example.com\n`, 'clients');
  expect(again.counts.existing).toBeGreaterThan(0);
  await look(again.id);

  // A failed run that wrote rows before its binary tail: retry, undo.
  const tail = Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 10, 0, 0, 7]);
  const head = 'First Name,Email\nEve,eve@example.com\nFay,fay@example.com\n';
  const failed = await importCsv(h, Buffer.concat([Buffer.from(head), tail]), 'clients');
  expect(failed.status).toBe('failed');
  await look(failed.id);
  // Retrying runs into the same binary tail: the page follows it to its end and says who retried.
  await page.locator('#summary [data-offer="retry"]').click();
  await page.locator('#notice', { hasText: 'Retrying' }).waitFor();
  await page
    .locator('#summary-acts li[data-act="retry"]', { hasText: 'Retried through Web / API' })
    .waitFor();
  await page.locator('#summary-text', { hasText: 'Import failed.' }).waitFor();
  expect((await waitForEnd(h, failed.id)).status).toBe('failed');

  // Queued and held back: cancel (it asks, in the words of a running import).
  const held = await uploadCsv(h, PEOPLE, 'clients', 'held.csv');
  await h.imports.start(h.workspaceId, held.id, { lineUp: false });
  await look(held.id);
  await page.locator('#run [data-offer="cancel"]').click();
  const dialog = page.getByRole('dialog', { name: 'Cancel import?' });
  await dialog.getByText('Stop the import of held.csv?').waitFor();
  await dialog.getByRole('button', { name: 'Cancel import' }).click();
  await page.locator('#summary-text', { hasText: 'Import cancelled.' }).waitFor();
  expect((await waitForEnd(h, held.id)).status).toBe('cancelled');

  expect(OFFER_KINDS.filter((k) => !seen.has(k))).toEqual([]);
});

test('update existing records runs the same file again as an update, and the page follows it', async () => {
  const { page } = b;
  await importCsv(h, 'First Name,Email\nDora,dora@example.com\n', 'clients');
  const id = await uploadOnPage('dora.csv', Buffer.from('First Name,Email\nDorothea,dora@example.com\n'));
  await page.getByRole('button', { name: 'Start import' }).click();
  await page.locator('#summary-text', { hasText: 'Import finished.' }).waitFor();
  await page.getByRole('button', { name: 'Update existing records' }).click();
  await page.locator('#notice', { hasText: 'dora.csv is imported again' }).waitFor();
  await page.locator('#summary-counts', { hasText: 'Updated1' }).waitFor();
  const newer = (await page.locator('#import').getAttribute('data-import-id'))!;
  expect(newer).not.toBe(id);
  const view = await apiView(newer);
  expect(view.onDuplicate).toBe('update');
  expect(view.counts.updated).toBe(1);
  expect((await apiView(id)).history.map((a) => [a.act, a.door])).toEqual([
    ['start', 'api'],
    ['update_existing', 'api'],
  ]);
});
