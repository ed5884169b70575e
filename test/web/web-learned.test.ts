import { LearnedMappings } from '../../src/engine/workspaces/learned-mappings';
import { Harness, startHarness, uploadCsv, waitForEnd } from '../support/intake-harness';
import { Browsing, buildWebPage, openBrowser } from './web-browser';

// A learned suggestion on the page: where it was learned, and the button that makes the workspace forget it.
let h: Harness;
let b: Browsing;

const csv = (who: string) => `First Name,Email,Kundenhinweis\n${who},${who}@learned.example.com,x\n`;

beforeAll(async () => {
  buildWebPage();
  h = await startHarness('web-learned');
  b = await openBrowser();
});
afterAll(async () => {
  await b?.close();
  await h?.close();
});

test('a learned column says which file taught it, and Forget makes the workspace forget it', async () => {
  const taught = await uploadCsv(h, csv('ana'), 'clients', 'march.csv');
  await h.imports.changeMapping(h.workspaceId, taught.id, undefined, {
    byHeader: { Kundenhinweis: 'notes' },
  });
  await h.imports.start(h.workspaceId, taught.id, { byPerson: true });
  expect((await waitForEnd(h, taught.id)).status).toBe('completed');

  const { page, shot } = b;
  await page.goto(h.url);
  await page.getByLabel('Workspace API key').fill(h.apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Import', exact: true }).waitFor();
  await page.getByLabel('Clients').check();
  await page.getByLabel('Choose a CSV file').setInputFiles({
    name: 'april.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv('bo')),
  });
  await page.getByRole('heading', { name: 'Match columns to fields' }).waitFor();
  const notesRow = page.locator('tr', { has: page.locator('#map-notes') });
  await notesRow.getByText(/learned from march\.csv \(\d{4}-\d{2}-\d{2}\)/).waitFor();
  await shot('learned-01-note');

  await notesRow.getByRole('button', { name: 'Forget what was learned for Kundenhinweis' }).click();
  await notesRow
    .getByText(
      'Forgotten: "Kundenhinweis" → Notes (learned from march.csv). Your next files get a fresh suggestion; this one keeps its mapping.',
    )
    .waitFor();
  await shot('learned-02-forgotten');
  expect(await notesRow.getByText(/learned from march\.csv \(/).count()).toBe(0);
  const learned = await h.app.context.get(LearnedMappings).list(h.workspaceId, 'clients');
  expect(learned.map((m) => m.header)).not.toContain('Kundenhinweis');
});
