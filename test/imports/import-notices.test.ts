import { Readable } from 'node:stream';
import { IMPORT_NOTICES_PORT, ImportNotices } from '../../src/engine/queue/import-notices';
import type { ImportNotice } from '../../src/engine/queue/job-catalogue';
import type { Channel } from '../../src/engine/imports/import.schema';
import { Harness, startHarness, waitForEnd } from '../support/intake-harness';

// The hand-off from whichever process ends an import to the door that tells the person.
let h: Harness;
const heard: ImportNotice[] = [];

beforeAll(async () => {
  h = await startHarness('notices');
  h.app.context.get<ImportNotices>(IMPORT_NOTICES_PORT).consume('slack', async (n) => {
    heard.push(n);
  });
});
afterAll(() => h.close());

function upload(csv: string | Buffer, channel: Channel) {
  return h.imports.upload(h.workspaceId, Readable.from([Buffer.from(csv)]), {
    fileName: 'n.csv',
    type: 'clients',
    channel,
  });
}

async function noticesOf(id: string, atLeast = 1): Promise<ImportNotice[]> {
  const until = Date.now() + 15_000;
  while (heard.filter((n) => n.importId === id).length < atLeast && Date.now() < until)
    await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300)); // room for a duplicate to show up
  return heard.filter((n) => n.importId === id);
}

const CSV = 'First Name,Last Name,Email\nAna,Ray,ana@example.com\nBo,Li,bo@example.com\n';

test('a completed Slack import is announced once, with its status', async () => {
  const v = await upload(CSV, 'slack');
  await h.imports.start(h.workspaceId, v.id);
  const done = await waitForEnd(h, v.id);
  expect(done.status).toBe('completed');
  expect(await noticesOf(v.id)).toEqual([
    { importId: v.id, workspaceId: h.workspaceId, status: 'completed', endedAt: done.finishedAt?.getTime() },
  ]);
});

test('a failed import is announced as failed', async () => {
  const rows = Array.from({ length: 3000 }, (_, i) => `Person${i},Last${i},p${i}@example.com`);
  const damaged = Buffer.concat([
    Buffer.from(`First Name,Last Name,Email\n${rows.join('\n')}\n`),
    Buffer.from([0, 1, 2, 0, 0, 255, 0, 10]),
  ]);
  const v = await upload(damaged, 'slack');
  await h.imports.start(h.workspaceId, v.id);
  const done = await waitForEnd(h, v.id);
  expect(done.status).toBe('failed');
  expect((await noticesOf(v.id)).map((n) => n.status)).toEqual(['failed']);
});

test('a cancelled import is announced as cancelled', async () => {
  const v = await upload(CSV, 'slack');
  await h.imports.cancel(h.workspaceId, v.id);
  expect((await noticesOf(v.id)).map((n) => n.status)).toEqual(['cancelled']);
});

test('imports from the API or the CLI are not announced on a door queue', async () => {
  const v = await upload(CSV, 'api');
  await h.imports.start(h.workspaceId, v.id);
  await waitForEnd(h, v.id);
  expect(await noticesOf(v.id, 0)).toEqual([]);
});
