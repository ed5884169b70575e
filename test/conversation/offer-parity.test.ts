import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { OFFER_KINDS, offerLabel, type OfferKind } from '../../src/engine/conversation/offers';
import { summaryOf } from '../../src/engine/conversation/import-summary';
import type { ImportView } from '../../src/engine/imports/import-view';
import { summaryBody } from '../../src/doors/email/mail-outcome';
import { proposalBody } from '../../src/doors/email/mail-proposal';
import { AFTER_START } from '../../src/doors/email/mail-offers';
import { Harness, importCsv, startHarness, uploadCsv } from '../support/intake-harness';
import { twoSheetBook } from '../support/workbooks';
import { mappingPages } from '../../src/doors/slack/mapping.blocks';
import { progressMessage, summaryMessage } from '../../src/doors/slack/import.blocks';
import { slackControlsFor } from '../slack/slack-offers';
import { Browsing, buildWebPage, openBrowser } from '../web/web-browser';
import { openImportOnPage, webControlsFor } from '../web/web-offers';
import { emailOffersIn } from './email-offers';
import { inOrderOfModel } from './model-order';

// One conversation, five renderings: for an import in each state, every door shows a control for each
// offer the engine makes, and none it does not make. A kind added to OFFER_KINDS without a rendering
// in some door fails here (and the walk fails unless some state offers every kind).

const run = promisify(execFile);
const CLI = join(__dirname, '../../dist/src/doors/cli/main.js');
type Door = 'http' | 'cli' | 'email' | 'slack' | 'web';

let h: Harness;
let b: Browsing;

beforeAll(async () => {
  buildWebPage();
  h = await startHarness('offer-parity');
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

const inOrder = inOrderOfModel;

/** The HTTP view's `actions`, over a real request. */
async function httpOffers(id: string): Promise<OfferKind[]> {
  const res = await fetch(`${h.url}/imports/${id}`, { headers: { Authorization: `Bearer ${h.apiKey}` } });
  const view = (await res.json()) as { actions: { kind: OfferKind }[] };
  return inOrder(view.actions.map((a) => a.kind));
}

/** The CLI's "Next:" lines of `intake status <id>`, read back by their labels. */
async function cliOffers(id: string): Promise<OfferKind[]> {
  const { stdout } = await run('node', [CLI, 'status', id], {
    env: { ...process.env, ...h.env },
    timeout: 90_000,
  });
  const next = stdout.split('\n').slice(stdout.split('\n').indexOf('Next:') + 1);
  return inOrder(OFFER_KINDS.filter((k) => next.some((l) => l.trim().startsWith(offerLabel(k)))));
}

function emailOffers(v: ImportView): OfferKind[] {
  // The proposal while the import awaits its mapping; once started, the answer saying so is exactly
  // the start sentence, and the proposal told how to answer it (cancel); the summary once it ended.
  const text =
    v.status === 'awaiting_mapping'
      ? proposalBody({ views: [v], rejected: [] }).text
      : v.status === 'queued' || v.status === 'running'
        ? AFTER_START
        : summaryBody(v).text;
  return emailOffersIn(text, v.status !== 'awaiting_mapping' && summaryOf(v).withReport);
}

/** The Slack messages of this state (the mapping pages, the progress message, the summary). */
function slackOffers(v: ImportView): OfferKind[] {
  const messages =
    v.status === 'awaiting_mapping'
      ? mappingPages(v, { onDuplicate: v.onDuplicate, linkCompanies: v.linkCompanies })
      : v.status === 'queued' || v.status === 'running'
        ? [progressMessage(v, null)]
        : [summaryMessage(v, summaryOf(v).withReport, undefined, v.counts.existing ?? 0)];
  return slackControlsFor(messages);
}

async function webOffers(id: string): Promise<OfferKind[]> {
  await openImportOnPage(b.page, h.url, id);
  return webControlsFor(b.page);
}

/** Each door's offers for the import as it is now, beside the engine's. */
async function table(id: string): Promise<{ engine: OfferKind[] } & Record<Door, OfferKind[]>> {
  const view = await h.imports.get(h.workspaceId, id);
  return {
    engine: inOrder(view.actions.map((a) => a.kind)),
    http: await httpOffers(id),
    cli: await cliOffers(id),
    email: emailOffers(view),
    slack: slackOffers(view),
    web: await webOffers(id),
  };
}

test('every door renders exactly the offers the engine makes, in every state, and every kind is offered somewhere', async () => {
  const seen = new Set<OfferKind>();
  const check = async (state: string, id: string) => {
    const t = await table(id);
    for (const door of ['http', 'cli', 'email', 'slack', 'web'] as const)
      expect({ state, door, offers: t[door] }).toEqual({ state, door, offers: t.engine });
    t.engine.forEach((k) => seen.add(k));
    return t.engine;
  };
  const PEOPLE = 'First Name,Email\nAna,ana@parity.example\nBob,bob@nowhere\nCleo,cleo@parity.example\n';

  // A workbook awaiting its mapping.
  const book = await h.imports.upload(h.workspaceId, Readable.from([await twoSheetBook()]), {
    fileName: 'parity.xlsx',
    channel: 'api',
  });
  expect(await check('awaiting mapping', book.id)).toEqual([
    'start',
    'dry_run',
    'choose_sheet',
    'change_type',
    'change_columns',
    'cancel',
  ]);

  // Queued, held back before it runs.
  const held = await uploadCsv(h, PEOPLE, 'clients', 'held.csv');
  await h.imports.start(h.workspaceId, held.id, { lineUp: false });
  expect(await check('queued', held.id)).toEqual(['cancel']);
  await h.imports.cancel(h.workspaceId, held.id);

  // A finished dry run that skipped a row.
  const dry = await importCsv(h, PEOPLE, 'clients', { dryRun: true });
  expect(await check('dry run', dry.id)).toEqual(['run_for_real', 'download_report']);

  // A real run whose rows partly existed already.
  await importCsv(h, PEOPLE, 'clients');
  const again = await importCsv(h, `${PEOPLE}Dan,dan@parity.example\n`, 'clients');
  expect(await check('completed', again.id)).toEqual(['undo', 'update_existing', 'download_report']);

  // A run that failed on its binary tail after writing rows.
  const tail = Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 10, 0, 0, 7]);
  const failed = await importCsv(
    h,
    Buffer.concat([Buffer.from('First Name,Email\nEve,eve@parity.example\n'), tail]),
    'clients',
  );
  expect(failed.status).toBe('failed');
  const failedOffers = await check('failed', failed.id);
  expect(failedOffers).toContain('retry');

  expect(inOrder(seen)).toEqual([...OFFER_KINDS]);
});
