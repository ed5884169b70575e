import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';

const ROOT = join(__dirname, '..', '..');
export const SHOTS = join(ROOT, 'test-output', 'web');

/** Compiles the page's scripts into dist/web, as `npm run build` does, so the test sees the current source. */
export function buildWebPage(): void {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'web/tsconfig.json'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}

export interface Browsing {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Every URL the page asked for, in order. */
  requests: string[];
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, offline-minded; Playwright gives every launch a fresh temporary profile. */
export async function openBrowser(viewport = { width: 1100, height: 900 }): Promise<Browsing> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (r: Request) => requests.push(r.url()));
  mkdirSync(SHOTS, { recursive: true });
  return {
    browser,
    context,
    page,
    requests,
    shot: async (name) => {
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    },
    close: () => browser.close(),
  };
}
