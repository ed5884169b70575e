import { openAsBlob } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { AllInOne, api, scratch, startAllInOne, watchHealth, writeFile } from './limits-support';
import { database } from '../security/http-support';
import { Harness, startHarness } from '../support/intake-harness';

/**
 * ATTACK: one tenant fires uploads in parallel at the all-in-one process (API, SMTP, worker) under the
 * compose heap cap. Places are taken before a byte is received, so racing uploads cannot overshoot the
 * quota of imports waiting for a mapping, and the uploads in flight (each holding local spool) are
 * capped. Every refusal is a 429 with its sentence, and nothing is stored for it.
 */
const CSV = 'First Name,Email\nAna,ana@burst.example.com\n';

let h: Harness;
let app: AllInOne | undefined;
beforeEach(async () => {
  h = await startHarness('upload_capacity', { INTAKE_ROLES: 'api' });
});
afterEach(async () => {
  if (app?.worker.alive()) app.worker.child.kill('SIGKILL');
  app = undefined;
  await h.close();
});

function post(base: string, body: Blob): Promise<Response> {
  const form = new FormData();
  form.append('type', 'clients');
  form.append('file', body, 'burst.csv');
  return api(h, base, '/imports', { method: 'POST', body: form });
}

/** What the workspace stores once every upload has been stored: imports and GridFS files. */
async function storedOnceSettled(): Promise<{ imports: number; files: number }> {
  const db = database(h);
  const until = Date.now() + 120_000;
  while ((await db.collection('imports').countDocuments({ fileStoring: true })) > 0) {
    if (Date.now() > until) throw new Error('uploads still storing after 120 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    imports: await db.collection('imports').countDocuments({ workspaceId: h.workspaceId }),
    files: await db.collection('uploads.files').countDocuments({}),
  };
}

test('70 parallel uploads against a quota of 50: exactly 50 accepted, 20 refused with 429 and the sentence, nothing stored for them', async () => {
  app = await startAllInOne(h, {
    INTAKE_AWAITING_MAPPING_PER_WORKSPACE: '50',
    INTAKE_UPLOADS_IN_FLIGHT_PER_WORKSPACE: '100',
    INTAKE_UPLOADS_IN_FLIGHT_PER_PROCESS: '100',
  });
  const health = watchHealth(app.url);
  const answers = await Promise.all(
    Array.from({ length: 70 }, async () => {
      const res = await post(app!.url, new Blob([CSV]));
      return {
        status: res.status,
        body: (await res.json()) as { error?: { code: string; message: string } },
      };
    }),
  );
  expect(answers.filter((a) => a.status === 201)).toHaveLength(50);
  const refused = answers.filter((a) => a.status !== 201);
  expect(refused).toHaveLength(20);
  for (const r of refused)
    expect(r).toEqual({
      status: 429,
      body: {
        error: {
          code: 'quota_exceeded',
          message: 'This workspace has 50 imports waiting for a mapping; start or cancel some first.',
          quota: 50,
        },
      },
    });
  expect(await storedOnceSettled()).toEqual({ imports: 50, files: 50 });
  expect((await health.stop()).unanswered).toBe(0);
});

/** A 25 MB clients CSV in a scratch dir; returns its path and size. */
async function bigFile(files: Awaited<ReturnType<typeof scratch>>): Promise<{ path: string; size: number }> {
  const path = files.path('big.csv');
  const row = 'Ana,ana@big.example.com,' + 'x'.repeat(200) + '\n';
  await writeFile(path, [
    'First Name,Email,Notes\n',
    ...Array.from({ length: Math.ceil((25 * 1024 * 1024) / row.length) }, () => row),
  ]);
  return { path, size: (await stat(path)).size };
}

/** Posts `n` uploads of the file at once, sampling the spool's size meanwhile. */
async function burst(path: string, spool: string, n: number) {
  let peak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await spoolBytes(spool));
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  try {
    const answers = await Promise.all(
      Array.from({ length: n }, async () => {
        const res = await post(app!.url, await openAsBlob(path));
        return {
          status: res.status,
          body: (await res.json()) as { error?: { code: string; message: string } },
        };
      }),
    );
    const accepted = answers.filter((a) => a.status === 201).length;
    const refused = answers.filter((a) => a.status !== 201);
    const stored = await storedOnceSettled();
    return { accepted, refused, stored, peak: () => peak };
  } finally {
    sampling = false;
    await sampler;
  }
}

test('parallel 25 MB uploads beyond the in-flight cap are refused before receiving: the spool holds at most the cap', async () => {
  const files = await scratch();
  try {
    const spool = files.path('spool');
    const { path, size } = await bigFile(files);
    app = await startAllInOne(h, {
      INTAKE_SPOOL_DIR: spool,
      INTAKE_UPLOADS_IN_FLIGHT_PER_WORKSPACE: '4',
      INTAKE_UPLOADS_IN_FLIGHT_PER_PROCESS: '16',
    });
    const health = watchHealth(app.url);
    const { accepted, refused, stored, peak } = await burst(path, spool, 12);
    expect(accepted).toBeGreaterThanOrEqual(4);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused)
      expect(r).toEqual({
        status: 429,
        body: {
          error: {
            code: 'too_many_uploads',
            message:
              'This workspace is already sending 4 files at once; send this one again when they have arrived.',
            limit: 4,
          },
        },
      });
    expect(stored).toEqual({ imports: accepted, files: accepted });
    // Never more than the cap's files on local disk at once (20 parallel uploads held 501 MB before).
    expect(peak()).toBeLessThanOrEqual(4 * size);
    expect(await spoolBytes(spool)).toBe(0);
    expect((await health.stop()).unanswered).toBe(0);
    const rss = await app.peakRssMiB();
    console.log(
      `12 parallel ${mib(size)} uploads, 4 per workspace: ${accepted} accepted, ${refused.length} refused; ` +
        `spool peak ${mib(peak())}; peak RSS ${rss} MiB`,
    );
    expect(rss).toBeLessThan(400);
  } finally {
    await files.cleanup();
  }
});

test("the process's own cap holds for every workspace together, with its sentence", async () => {
  const files = await scratch();
  try {
    const spool = files.path('spool');
    const { path, size } = await bigFile(files);
    app = await startAllInOne(h, {
      INTAKE_SPOOL_DIR: spool,
      INTAKE_UPLOADS_IN_FLIGHT_PER_WORKSPACE: '100',
      INTAKE_UPLOADS_IN_FLIGHT_PER_PROCESS: '2',
    });
    const { accepted, refused, stored, peak } = await burst(path, spool, 6);
    expect(accepted).toBeGreaterThanOrEqual(2);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused)
      expect(r.body.error).toMatchObject({
        code: 'too_many_uploads',
        message: 'Intake is receiving 2 files at once already; send this one again in a minute.',
      });
    expect(stored).toEqual({ imports: accepted, files: accepted });
    expect(peak()).toBeLessThanOrEqual(2 * size);
  } finally {
    await files.cleanup();
  }
});

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

async function spoolBytes(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  let total = 0;
  for (const name of names) total += (await stat(`${dir}/${name}`).catch(() => ({ size: 0 }))).size;
  return total;
}
