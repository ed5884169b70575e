import { Readable } from 'node:stream';
import { Harness, importCsv, startHarness } from '../support/intake-harness';
import { Browsing, buildWebPage, openBrowser } from './web-browser';
import { webControlsFor } from './web-offers';

// The history and the records at a phone's width (360 px), driven from the keyboard where it counts.
let h: Harness;
let b: Browsing;

beforeAll(async () => {
  buildWebPage();
  h = await startHarness('web-history');
  const rows = Array.from({ length: 25 }, (_, i) => `Person${i},Row,person${i}@example.com`);
  await importCsv(h, `First Name,Last Name,Email\n${rows.join('\n')}\n`, 'clients');
  await h.imports.upload(
    h.workspaceId,
    Readable.from([Buffer.from('First Name,Email\nZoe,zoe@example.com\n')]),
    {
      fileName: 'from-mail.csv',
      type: 'clients',
      channel: 'email',
      origin: { sender: 'ana@example.com' },
    },
  );
  b = await openBrowser({ width: 360, height: 740 });
});
afterAll(async () => {
  await b?.close();
  await h?.close();
});

async function pageWidth(): Promise<number> {
  return b.page.evaluate<number>('document.documentElement.scrollWidth');
}

test('signs in from the keyboard alone: the key field has focus and Enter submits', async () => {
  await b.page.goto(h.url);
  await b.page.locator('#api-key:focus').waitFor();
  await b.page.keyboard.type(h.apiKey);
  await b.page.keyboard.press('Enter');
  await b.page.getByRole('heading', { name: 'Import', exact: true }).waitFor();
  expect(await pageWidth()).toBeLessThanOrEqual(360);
  await b.shot('360-01-import');
});

test('a dropped file is uploaded and its mapping fits a 360 px screen', async () => {
  const drop = await b.page.evaluateHandle(`(() => {
    const data = new DataTransfer();
    data.items.add(new File(['Given name,Contact\\nAna,ana@example.com\\n'], 'dropped.csv', { type: 'text/csv' }));
    return data;
  })()`);
  await b.page.locator('#drop').dispatchEvent('drop', { dataTransfer: drop });
  await b.page.locator('#mapping-file', { hasText: 'dropped.csv' }).waitFor();
  expect(await b.page.locator('#map-firstName').inputValue()).toBe('0');
  expect(await pageWidth()).toBeLessThanOrEqual(360);
  await b.shot('360-02-mapping');
  const imports = await h.imports.list(h.workspaceId, 10);
  expect(imports.map((i) => i.fileName)).toContain('dropped.csv');
});

test('the history lists imports newest first with door, who and counts, and opens one', async () => {
  await b.page.getByRole('button', { name: 'History' }).click();
  const rows = b.page.locator('#history-rows tr');
  await rows.nth(2).waitFor();
  const texts = await rows.allTextContents();
  expect(texts.map((t) => /dropped\.csv|from-mail\.csv|test\.csv/.exec(t)?.[0])).toEqual([
    'dropped.csv',
    'from-mail.csv',
    'test.csv',
  ]);
  expect(texts[1]).toContain('Email');
  expect(texts[1]).toContain('ana@example.com');
  expect(texts[2]).toContain('25 rows read, 25 imported');
  await rows.nth(2).getByRole('button', { name: 'test.csv' }).press('Enter');
  await b.page.locator('#detail:focus').waitFor();
  expect(await b.page.locator('#detail-facts').textContent()).toContain('Imported25');
  expect(await pageWidth()).toBeLessThanOrEqual(360);
  await b.shot('360-03-history');
});

test('the records of a type are paged, newest first', async () => {
  await b.page.locator('#records-page', { hasText: 'Page 1 of 2 (25 clients)' }).waitFor();
  expect(await b.page.locator('#records-rows tr').count()).toBe(20);
  expect(await b.page.locator('#records-rows tr').first().textContent()).toContain('Person24');
  expect(await b.page.getByRole('button', { name: 'Previous page' }).isDisabled()).toBe(true);
  await b.page.getByRole('button', { name: 'Next page' }).click();
  await b.page.locator('#records-page', { hasText: 'Page 2 of 2' }).waitFor();
  expect(await b.page.locator('#records-rows tr').count()).toBe(5);
  expect(await b.page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
  await b.page.getByLabel('Type', { exact: true }).selectOption('leads');
  await b.page.locator('#records-page', { hasText: 'Page 1 of 1 (0 leads)' }).waitFor();
  await b.shot('360-04-records');
});

test("an import's detail offers no report when nothing was skipped, and undoes it after a confirmation", async () => {
  await b.page.getByRole('button', { name: 'Refresh' }).click();
  const row = b.page.locator('#history-rows tr', { hasText: 'test.csv' });
  await row.getByRole('button', { name: 'test.csv' }).click();
  await b.page.locator('#detail-facts', { hasText: 'Imported25' }).waitFor();
  expect(await b.page.locator('#detail [data-offer="download_report"]').count()).toBe(0); // nothing was skipped
  await b.page.locator('#detail [data-offer="undo"]').click();
  const dialog = b.page.getByRole('dialog', { name: 'Undo import?' });
  await dialog.getByText('Undo the import of test.csv? The records it created are deleted').waitFor();
  await dialog.getByRole('button', { name: 'Undo import' }).click();
  await b.page.locator('#detail-facts', { hasText: 'Undone25 records deleted' }).waitFor();
  // The detail names who undid it, and through which door (an API key names no person).
  expect(await b.page.locator('#detail-acts li[data-act="undo"]').textContent()).toMatch(
    /Undone through Web \/ API$/,
  );
  const res = await fetch(`${h.url}/records/clients`, { headers: { Authorization: `Bearer ${h.apiKey}` } });
  expect(((await res.json()) as { total: number }).total).toBe(0);
  await b.page.locator('#history-rows tr', { hasText: 'Undone' }).waitFor();
  await b.shot('360-05-undone-from-history');
});

test('an import awaiting its mapping shows its offers in the detail; Change the columns opens its mapping', async () => {
  const row = b.page.locator('#history-rows tr', { hasText: 'from-mail.csv' });
  await row.getByRole('button', { name: 'from-mail.csv' }).click();
  await b.page.locator('#detail-title', { hasText: 'from-mail.csv' }).waitFor();
  const offered = ['start', 'dry_run', 'change_type', 'change_columns', 'cancel'];
  expect(await webControlsFor(b.page)).toEqual(offered);
  expect(await pageWidth()).toBeLessThanOrEqual(360);
  await b.page.locator('#detail [data-offer="change_columns"]').click();
  await b.page.locator('#mapping-file', { hasText: 'from-mail.csv' }).waitFor();
  expect(await b.page.locator('#map-firstName').inputValue()).toBe('0');
  expect(await webControlsFor(b.page)).toEqual(offered);
});
