import { readFile } from 'node:fs/promises';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { join } from 'node:path';
import { START_MESSAGE } from '../../src/engine/imports/import-view';
import { Harness, startHarness } from '../support/intake-harness';
import { Browsing, buildWebPage, openBrowser, SHOTS } from './web-browser';

// The whole import screen in a real Chromium against the real app, its database and its queue.
let h: Harness;
let b: Browsing;

// "Contact" holds the emails but no field recognises it, so Email (required) is missing until a person
// picks it; "Organisation" is suggested as Company and the person leaves it out. Bob's email is invalid.
const CSV =
  'Given name,Family name,Contact,Tel,Organisation\n' +
  'Ana,Garcia,ana.garcia@example.net,+34 612 345 678,Acme\n' +
  'Bob,Stone,bob@example,+1 415 555 0100,Globex\n' +
  'Cleo,Park,cleo@example.org,,Initech\n';

async function records(
  type = 'clients',
): Promise<{ total: number; items: { fields: Record<string, unknown> }[] }> {
  const res = await fetch(`${h.url}/records/${type}?limit=50`, {
    headers: { Authorization: `Bearer ${h.apiKey}` },
  });
  return (await res.json()) as { total: number; items: { fields: Record<string, unknown> }[] };
}

beforeAll(async () => {
  buildWebPage();
  h = await startHarness('web-import');
  b = await openBrowser();
});
afterAll(async () => {
  await b?.close();
  await h?.close();
});

test('sign in, sample, upload, fix the mapping, dry run, import, summary, report, undo', async () => {
  const { page, shot } = b;
  await page.goto(h.url);

  // Sign in.
  await page.getByLabel('Workspace API key').fill(h.apiKey);
  await shot('01-sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Import', exact: true }).waitFor();
  expect(await page.evaluate<string | null>("sessionStorage.getItem('intake.apiKey')")).toBe(h.apiKey);

  // Download the sample CSV of the chosen type.
  await page.getByLabel('Leads').check();
  const sampleDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download sample CSV' }).click();
  const sample = await sampleDownload;
  expect(sample.suggestedFilename()).toMatch(/leads/);
  const sampleText = await readFile((await sample.path())!, 'utf8');
  expect(sampleText.split('\n')[0]).toMatch(/First Name/);
  await shot('02-sample-downloaded');

  // Upload (by choosing) as clients: the upload bar fills, the mapping names the missing field.
  await page.getByLabel('Clients').check();
  await page.getByLabel('Choose a CSV file').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(CSV),
  });
  await page.getByRole('heading', { name: 'Match columns to fields' }).waitFor();
  expect(await page.locator('#upload-bar').getAttribute('value')).toBe('100');
  await page.locator('#missing', { hasText: 'Required field not mapped: Email.' }).waitFor();
  // Nothing is offered that would be refused: no start and no dry run until Email is mapped.
  expect(await page.locator('#mapping-offers [data-offer]').allTextContents()).toEqual(['Cancel import']);
  const emailRow = page.locator('tr', { has: page.locator('#map-email') });
  expect(await emailRow.getByText('(required)').count()).toBe(1);
  expect(await page.locator('#map-firstName').inputValue()).toBe('0');
  expect(await page.locator('tr', { has: page.locator('#map-firstName') }).textContent()).toContain('97%');
  await shot('03-mapping-missing-email');

  // Fix it: Email from "Contact"; leave "Organisation" out.
  await page.getByLabel('Email').selectOption({ label: 'Contact' });
  await page.locator('#missing', { hasText: 'Every required field is mapped.' }).waitFor();
  await page.getByRole('button', { name: 'Start import' }).waitFor();
  await page.getByLabel('Company').selectOption({ label: "Don't import" });
  await page.locator('#map-company').and(page.locator(':focus')).waitFor();
  expect(await page.locator('#map-company').inputValue()).toBe('');
  const stored = await h.imports.get(h.workspaceId, (await h.imports.list(h.workspaceId, 1))[0]!.id);
  expect(stored.columns.map((c) => c.field)).toEqual(['firstName', 'lastName', 'email', 'phone', null]);
  await shot('04-mapping-fixed');
  // The picture in README.md and docs/web.md (docs/web-import.png is a copy of it): the top of this step,
  // at a small size.
  await page.screenshot({
    path: join(SHOTS, 'readme-web-import.png'),
    fullPage: true,
    clip: { x: 0, y: 0, width: 1100, height: 960 },
  });

  // Dry run: nothing written, the summary says what would happen.
  await page.getByRole('button', { name: 'Dry run' }).click();
  await page.locator('#notice', { hasText: 'Dry run started' }).waitFor();
  await page.locator('#summary-text', { hasText: 'Dry run finished' }).waitFor();
  expect(await page.locator('#summary-counts').textContent()).toMatch(/Would be imported2/);
  expect((await records()).total).toBe(0);
  await shot('05-dry-run-summary');

  // Run it for real, as the dry run offers: the exact start sentence, the progress bar, the summary.
  await page.getByRole('button', { name: 'Run it for real' }).click();
  await page.locator('#notice', { hasText: START_MESSAGE }).waitFor();
  expect(await page.locator('#notice').textContent()).toBe(START_MESSAGE);
  await page.locator('#run').waitFor();
  await shot('06-started');
  await page.locator('#summary-text', { hasText: 'Import finished.' }).waitFor();
  expect(await page.locator('#run-bar').getAttribute('value')).toBe('100');
  const summary = await page.locator('#summary-counts').textContent();
  expect(summary).toContain('Rows read3');
  expect(summary).toContain('Imported2');
  expect(summary).toContain('Skipped1');
  const stored2 = await records();
  expect(stored2.total).toBe(2);
  expect(stored2.items.every((r) => r.fields.company === undefined)).toBe(true);
  await shot('07-summary');

  // The skipped-rows report.
  const reportDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the report' }).click();
  const report = await readFile((await (await reportDownload).path())!, 'utf8');
  expect(report).toMatch(/bob@example/);
  expect(report.split('\n').filter((l) => l.trim() !== '')).toHaveLength(2);

  // Undo asks first; keeping it changes nothing, confirming deletes the records.
  await page.getByRole('button', { name: 'Undo import' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Undo import?' });
  await dialog.waitFor();
  expect(await dialog.textContent()).toContain('Undo the import of people.csv?');
  await shot('08-undo-confirm');
  await dialog.getByRole('button', { name: 'Go back' }).click();
  await dialog.waitFor({ state: 'hidden' });
  expect((await records()).total).toBe(2);
  await page.getByRole('button', { name: 'Undo import' }).first().click();
  await dialog.getByRole('button', { name: 'Undo import' }).click();
  await page
    .locator('#summary-text', {
      hasText: 'Import undone: 2 records deleted, 0 restored, 0 kept (changed since).',
    })
    .waitFor();
  expect((await records()).total).toBe(0);
  await shot('09-undone');

  // The history: newest first, each opening its detail.
  await page.getByRole('button', { name: 'History' }).click();
  await page.getByRole('heading', { name: 'History' }).waitFor();
  const first = page.locator('#history-rows tr').first();
  await first.getByRole('button', { name: 'people.csv' }).waitFor();
  expect(await first.textContent()).toContain('Undone');
  await first.getByRole('button', { name: 'people.csv' }).click();
  await page.locator('#detail-facts', { hasText: 'Undone2 records deleted' }).waitFor();
  await shot('10-history');

  // The key never went into a URL, and nothing left this origin.
  expect(b.requests.filter((u) => u.includes(h.apiKey))).toEqual([]);
  expect(b.requests.filter((u) => !u.startsWith(h.url) && !u.startsWith('blob:'))).toEqual([]);
});

test('a larger file: the progress bar moves while the rows are read, then the summary follows', async () => {
  const { page } = b;
  await page.getByRole('button', { name: 'Import', exact: true }).first().click();
  await page.getByRole('button', { name: 'Import another file' }).click();
  const rows = Array.from({ length: 40_000 }, (_, i) => `Name${i},Last${i},person${i}@example.com`);
  await page.getByLabel('Choose a CSV file').setInputFiles({
    name: 'many.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`First Name,Last Name,Email\n${rows.join('\n')}\n`),
  });
  await page.locator('#mapping-file', { hasText: 'many.csv' }).waitFor();
  await page.locator('#mapping').getByRole('button', { name: 'Start import' }).click();
  // A function, not a string: the page's policy forbids evaluating strings.
  await page.waitForFunction(
    () => {
      const d = globalThis as unknown as {
        document: { getElementById(id: string): { value: number } | null };
      };
      const v = d.document.getElementById('run-bar')?.value ?? 0;
      return v > 0 && v < 100;
    },
    undefined,
    { polling: 50, timeout: 60_000 },
  );
  const midway = Number(await page.locator('#run-bar').getAttribute('value'));
  expect(midway).toBeGreaterThan(0);
  expect(midway).toBeLessThan(100);
  expect(await page.locator('#run-label').textContent()).toMatch(/^Running: \d+%$/);
  await b.shot('11-large-running');
  await page.locator('#summary-text', { hasText: 'Import finished.' }).waitFor({ timeout: 90_000 });
  expect(await page.locator('#summary-counts').textContent()).toContain('Imported40000');
  expect((await records()).total).toBe(40_000);
});

test('a column no field takes can be kept as a custom field, and is stored on the records', async () => {
  const { page } = b;
  await page.getByRole('button', { name: 'Import', exact: true }).first().click();
  await page.getByRole('button', { name: 'Import another file' }).click();
  await page.getByLabel('Choose a CSV file').setInputFiles({
    name: 'birthdays.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('First Name,Email,Birthday\nUli,uli@example.com,1970-01-02\n'),
  });
  await page.locator('#mapping-file', { hasText: 'birthdays.csv' }).waitFor();
  await page.getByRole('button', { name: 'Keep "Birthday" as a custom field' }).click();
  const select = page.locator('[id="map-custom.birthday"]');
  await select.waitFor();
  expect(await select.inputValue()).toBe('2');
  expect(await page.locator('#unmapped').textContent()).toBe('');
  await page.locator('#mapping').getByRole('button', { name: 'Start import' }).click();
  await page.locator('#summary-text', { hasText: 'Import finished.' }).waitFor();
  // Read directly: listing the 40,000 records of the test before is slow on the test database.
  const db = h.app.context.get<Connection>(getConnectionToken()).db!;
  const uli = await db.collection('records').findOne({ key: 'uli@example.com' });
  expect(uli?.custom).toEqual({ birthday: '1970-01-02' });
});
