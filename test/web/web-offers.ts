import type { Page } from 'playwright-core';
import { OFFER_KINDS, type OfferKind } from '../../src/engine/conversation/offers';

/**
 * The offers the page shows for the import on screen (the import screen, or the history's detail):
 * the kinds of its visible, enabled controls (`data-offer`), in the order of OFFER_KINDS.
 */
export async function webControlsFor(page: Page): Promise<OfferKind[]> {
  const shown = new Set<string>();
  for (const control of await page.locator('main [data-offer]:visible').all()) {
    const kind = await control.getAttribute('data-offer');
    if (kind && (await control.isEnabled())) shown.add(kind);
  }
  return OFFER_KINDS.filter((k) => shown.has(k));
}

/** Opens import `id` on the import screen of a signed-in page at `baseUrl`, once it is drawn. */
export async function openImportOnPage(page: Page, baseUrl: string, id: string): Promise<void> {
  await page.goto(`${baseUrl}/#import=${id}`);
  await page.locator(`#import[data-import-id="${id}"]`).waitFor();
}
