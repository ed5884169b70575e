import { stat } from 'node:fs/promises';
import { ImportView } from '../../src/engine/imports/import-view';
import { killAll } from '../reliability/fault-support';
import { storedCounts } from '../security/http-support';
import { Harness, startHarness } from '../support/intake-harness';
import { AllInOne, api, healthy, scratch, startAllInOne, uploadFile, writeFile } from './limits-support';

/**
 * Hostile files against one real Intake process in the default all-in-one mode (API, SMTP and worker)
 * under the compose heap cap: each ends with a reason, nothing else stops, and the process lives.
 * The files are generated into a temp dir by the tests (`npm run build` first: the process runs dist/).
 */
let h: Harness;
let intake: AllInOne;
let files: Awaited<ReturnType<typeof scratch>>;

beforeAll(async () => {
  // In this process only to look into the database; the spawned process does the work.
  h = await startHarness('limits_rows', { INTAKE_ROLES: 'api' });
  intake = await startAllInOne(h);
  files = await scratch();
});
afterAll(async () => {
  killAll(intake ? [intake.worker] : []);
  await files?.cleanup();
  await h?.close();
});

async function view(id: string): Promise<ImportView> {
  return (await (await api(h, intake.url, `/imports/${id}`)).json()) as ImportView;
}

/** Waits for the import's end, asking /health between polls: the API must answer all along. */
async function endWhileHealthy(id: string, timeoutMs = 240_000): Promise<{ v: ImportView; checks: number }> {
  const until = Date.now() + timeoutMs;
  let checks = 0;
  for (;;) {
    expect(await healthy(intake.url)).toBe(true);
    checks++;
    const v = await view(id);
    if (['completed', 'failed', 'cancelled'].includes(v.status)) return { v, checks };
    if (Date.now() > until) throw new Error(`import ${id} still ${v.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function uploadAndStart(path: string): Promise<string> {
  const res = await uploadFile(h, intake.url, path, 'clients');
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  const started = await api(h, intake.url, `/imports/${id}/start`, { method: 'POST' });
  expect(started.status).toBe(202);
  return id;
}

async function reportOf(id: string): Promise<string> {
  return (await api(h, intake.url, `/imports/${id}/report`)).text();
}

test('rows of three million commas are skipped with their width, the rest imported, the API answering', async () => {
  const path = files.path('wide-rows.csv');
  const wide = ','.repeat(3_000_000);
  await writeFile(
    path,
    (function* () {
      yield 'First Name,Last Name,Email\n';
      for (let i = 0; i < 12; i++) {
        yield `Good${i},Row,good${i}@example.com\n`;
        yield `Wide${i},Row,wide${i}@example.com${wide}\n`;
      }
    })(),
  );
  expect((await stat(path)).size).toBeGreaterThan(36_000_000);
  const id = await uploadAndStart(path);
  const { v } = await endWhileHealthy(id);
  expect(v.status).toBe('completed');
  expect(v.counts).toMatchObject({ total: 24, imported: 12, skipped: 12 });
  const report = (await reportOf(id)).trim().split('\n');
  expect(report).toHaveLength(13);
  // Wide row i sits on line 2i+3 of the file, the header being row 1.
  expect(report[1]).toMatch(
    /^3,"?row 3 has 3,000,003 cells; the header has 3"?,skipped,Wide0,Row,wide0@example.com/,
  );
  for (const line of report) expect(line.length).toBeLessThan(20 * 1024);
  expect(intake.worker.alive()).toBe(true);
  console.log(`wide rows (37 MB): peak RSS ${await intake.peakRssMiB()} MiB`);
});

test('a file of 10,000 columns is refused at upload, saying so, and nothing is kept', async () => {
  const path = files.path('wide-columns.csv');
  const header = Array.from({ length: 10_000 }, (_, i) => `Column ${i}`).join(',');
  const row = Array.from({ length: 10_000 }, (_, i) => `v${i}`).join(',');
  await writeFile(
    path,
    (function* () {
      yield `${header}\n`;
      for (let i = 0; i < 1000; i++) yield `${row}\n`;
    })(),
  );
  const before = await storedCounts(h);
  const res = await uploadFile(h, intake.url, path, 'clients');
  expect(res.status).toBe(422);
  expect(await res.json()).toEqual({
    error: {
      code: 'too_many_columns',
      message:
        'This file has 10,000 columns; Intake takes at most 500. Remove the columns you do not need, or split the file.',
      columns: 10_000,
      maxColumns: 500,
    },
  });
  expect(await storedCounts(h)).toEqual(before);
  expect(await healthy(intake.url)).toBe(true);
  console.log(`10,000 columns (${(await stat(path)).size} bytes): peak RSS ${await intake.peakRssMiB()} MiB`);
});

test('a header longer than the bytes sniffed is refused too, saying "at least"', async () => {
  const path = files.path('header-past-head.csv');
  const header = Array.from({ length: 100_000 }, (_, i) => `Column ${i}`).join(',');
  await writeFile(path, [`${header}\n`, 'a,b,c\n']);
  const before = await storedCounts(h);
  const res = await uploadFile(h, intake.url, path, 'clients');
  expect(res.status).toBe(422);
  const { error } = (await res.json()) as { error: { code: string; message: string } };
  expect(error.code).toBe('too_many_columns');
  expect(error.message).toMatch(/^This file has at least [\d,]+ columns; Intake takes at most 500\./);
  expect(await storedCounts(h)).toEqual(before);
});

test('a last line of 100 MB without a line break is skipped as too long, and the process lives', async () => {
  const path = files.path('long-line.csv');
  const chunk = Buffer.alloc(1024 * 1024, 'x');
  await writeFile(
    path,
    (function* () {
      yield 'First Name,Last Name,Email\nAna,Garcia,ana@example.com\n';
      for (let i = 0; i < 100; i++) yield chunk;
    })(),
  );
  const id = await uploadAndStart(path);
  const { v } = await endWhileHealthy(id);
  expect(v.status).toBe('completed');
  expect(v.counts).toMatchObject({ total: 2, imported: 1, skipped: 1 });
  const report = (await reportOf(id)).trim().split('\n');
  expect(report[1]).toMatch(/^3,row 3 is longer than 4 MB,skipped,x{2048}…\[cut\]$/);
  expect(intake.worker.alive()).toBe(true);
  console.log(`100 MB line: peak RSS ${await intake.peakRssMiB()} MiB`);
});

test('the same process then imports a sound file', async () => {
  const path = files.path('sound.csv');
  await writeFile(path, ['First Name,Last Name,Email\n', 'Bo,Stone,bo@example.com\n']);
  const id = await uploadAndStart(path);
  const { v } = await endWhileHealthy(id, 60_000);
  expect(v.counts).toMatchObject({ total: 1, imported: 1 });
  expect(intake.worker.alive()).toBe(true);
});
