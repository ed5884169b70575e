import { storedCounts } from '../security/http-support';
import { Harness, startHarness } from '../support/intake-harness';
import { Browsing, buildWebPage, openBrowser } from './web-browser';

// Attacks through the page in a real Chromium: a hostile file, a wrong key, a shared computer.
let h: Harness;
let b: Browsing;

beforeAll(async () => {
  buildWebPage();
  h = await startHarness('web-security', { INTAKE_MAX_FILE_BYTES: String(1024 * 1024) });
  b = await openBrowser();
});
afterAll(async () => {
  await b?.close();
  await h?.close();
});

/** Signs in from a signed-out tab (an earlier test may have left this one signed in). */
async function signIn(key: string): Promise<void> {
  await b.page.goto(h.url);
  await b.page.evaluate('sessionStorage.clear()');
  await b.page.reload();
  await b.page.getByLabel('Workspace API key').fill(key);
  await b.page.getByLabel('Workspace API key').press('Enter');
}

test('a wrong key is refused on the page and nothing is kept or written', async () => {
  await signIn('ik_not_a_key');
  await b.page.getByRole('alert').filter({ hasText: 'That API key was refused.' }).waitFor();
  expect(await b.page.evaluate<string | null>("sessionStorage.getItem('intake.apiKey')")).toBeNull();
  expect(await b.page.getByRole('heading', { name: 'Import', exact: true }).isVisible()).toBe(false);
  expect(await storedCounts(h)).toEqual({ imports: 0, files: 0 });
});

test("a file's hostile headers and cells are shown as text and run nothing", async () => {
  await signIn(h.apiKey);
  await b.page.getByRole('heading', { name: 'Import', exact: true }).waitFor();
  const csv =
    'First Name,Email,<img src=x onerror="window.__pwned=1">\n' +
    '<script>window.__pwned=2</script>,ana@example.com,<b onmouseover="window.__pwned=3">x</b>\n';
  await b.page.getByLabel('Choose a CSV file').setInputFiles({
    name: '<svg onload=window.__pwned=4>.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv),
  });
  await b.page.getByRole('heading', { name: 'Match columns to fields' }).waitFor();
  const rows = b.page.locator('#mapping-rows');
  expect(await rows.textContent()).toContain('<script>window.__pwned=2</script>');
  expect(await b.page.locator('#mapping-file').textContent()).toContain('<svg onload=window.__pwned=4>.csv');
  expect(await b.page.locator('#map-notes option', { hasText: '<img src=x' }).count()).toBe(1);
  expect(await b.page.locator('main img, main script, main svg, main b').count()).toBe(0);
  expect(await b.page.evaluate<unknown>('window.__pwned')).toBeUndefined();
});

test('the key stays out of URLs, local storage and cookies; signing out forgets it', async () => {
  await signIn(h.apiKey);
  await b.page.getByRole('heading', { name: 'Import', exact: true }).waitFor();
  expect(b.page.url()).not.toContain(h.apiKey);
  expect(b.requests.filter((u) => u.includes(h.apiKey))).toEqual([]);
  expect(await b.page.evaluate<number>('localStorage.length')).toBe(0);
  expect(await b.context.cookies()).toEqual([]);
  await b.page.getByRole('button', { name: 'Sign out' }).click();
  await b.page.getByLabel('Workspace API key').waitFor();
  expect(await b.page.evaluate<string | null>("sessionStorage.getItem('intake.apiKey')")).toBeNull();
  await b.page.reload();
  await b.page.getByLabel('Workspace API key').waitFor();
  expect(await b.page.getByRole('heading', { name: 'Import', exact: true }).isVisible()).toBe(false);
  expect(await b.page.locator('#api-key').inputValue()).toBe('');
});

test('a new tab does not inherit the key: it is kept for its own tab only', async () => {
  await signIn(h.apiKey);
  await b.page.getByRole('heading', { name: 'Import', exact: true }).waitFor();
  const other = await b.context.newPage();
  await other.goto(h.url);
  await other.getByLabel('Workspace API key').waitFor();
  expect(await other.evaluate<string | null>("sessionStorage.getItem('intake.apiKey')")).toBeNull();
  await other.close();
});

test('the page loads nothing from any other origin, and the browser enforces the policy', async () => {
  expect(b.requests.length).toBeGreaterThan(0);
  expect(b.requests.filter((u) => !u.startsWith(h.url) && !u.startsWith('blob:'))).toEqual([]);
  // An injected inline script is blocked by the page's policy, not only by how the page writes text.
  const violation = b.page.evaluate<string>(
    `new Promise((resolve) => {
       document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true });
       const s = document.createElement('script');
       s.textContent = 'window.__inline = 1';
       document.body.append(s);
     })`,
  );
  expect(await violation).toMatch(/^script-src/);
  expect(await b.page.evaluate<unknown>('window.__inline')).toBeUndefined();
});

test('a file over the size limit gets the reason on the page, and nothing is stored', async () => {
  await signIn(h.apiKey);
  await b.page.getByRole('heading', { name: 'Import', exact: true }).waitFor();
  const before = await storedCounts(h);
  const row = 'Ana,Garcia,ana@example.com\n';
  await b.page.getByLabel('Choose a CSV file').setInputFiles({
    name: 'huge.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      `First Name,Last Name,Email\n${row.repeat(Math.ceil((3 * 1024 * 1024) / row.length))}`,
    ),
  });
  await b.page.locator('#import-error', { hasText: 'larger than the 1 MB limit' }).waitFor();
  expect(await b.page.locator('#mapping').isVisible()).toBe(false);
  expect(await storedCounts(h)).toEqual(before);
});
