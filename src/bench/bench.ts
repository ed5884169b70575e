import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parse } from 'csv-parse';
import mongoose from 'mongoose';
import { startApp } from '../app/start';
import { isTerminal } from '../imports/import.schema';
import { ImportService } from '../imports/import.service';
import { provisionServices } from '../infra/service-provisioner';

/**
 * `npm run bench [-- --rows 100000,1000000]`: generates seeded client CSVs, then measures in one run
 * reading the file raw, csv-parse alone, and Intake's full import through a separate worker process
 * (rows/s and that worker's peak RSS). Prints a table and, last, one line of name=value pairs.
 */
const ROOT = resolve(__dirname, '..', '..');
const DATA = join(ROOT, 'bench-data');

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ana',
  'Jürgen',
  'Zoë',
  'Łukasz',
  'María José',
  'Chloé',
  'Søren',
  'Ngozi',
  'Hiroshi',
  'Olivia',
];
const LAST = [
  'García',
  'Müller',
  'Nowak',
  "O'Brien",
  'Dubois',
  'Rossi',
  'Silva',
  'Kowalski',
  'Smith',
  'Ødegaard',
];

/** ~5% invalid emails, ~5% duplicates of an earlier row, quoted notes with commas, quotes and line breaks. */
async function generate(rows: number): Promise<string> {
  mkdirSync(DATA, { recursive: true });
  const path = join(DATA, `clients-${rows}.csv`);
  if (existsSync(path)) return path;
  const rand = rng(42);
  const out = createWriteStream(path);
  out.write('First Name,Last Name,Email,Phone,Company,City,Notes,Tags\n');
  for (let i = 1; i <= rows; i++) {
    const r = rand();
    const id = r < 0.05 && i > 10 ? Math.floor(rand() * (i - 1)) + 1 : i;
    const first = FIRST[id % FIRST.length]!;
    const last = LAST[(id * 7) % LAST.length]!;
    const email = r >= 0.05 && r < 0.1 ? `broken-${i}-at-example` : `user${id}@example.com`;
    const notes = i % 3 === 0 ? `"Met at ""Expo ${i % 50}"", asked for a demo,\nfollow up"` : `Note ${i}`;
    const line = `${first},"${last.replace(/"/g, '""')}",${email},+1 202 555 ${String(i % 10000).padStart(4, '0')},Acme ${id % 500},Madrid,${notes},vip; t${i % 7}\n`;
    if (!out.write(line)) await new Promise<void>((ok) => out.once('drain', () => ok()));
  }
  out.end();
  await finished(out);
  return path;
}

async function timeRaw(path: string): Promise<number> {
  const t = process.hrtime.bigint();
  await finished(createReadStream(path).pipe(new Writable({ write: (_c, _e, done) => done() })));
  return Number(process.hrtime.bigint() - t) / 1e9;
}

async function timeCsvParse(path: string): Promise<{ seconds: number; records: number }> {
  const t = process.hrtime.bigint();
  let records = 0;
  for await (const _ of createReadStream(path).pipe(parse({ relax_column_count: true }))) records++;
  return { seconds: Number(process.hrtime.bigint() - t) / 1e9, records: records - 1 };
}

/** Peak RSS of a process as the kernel recorded it (VmHWM), in MB. */
/** Baseline (d): the driver's own insertMany of record-shaped documents into the same server, batches of 1000. */
async function timeRawInsert(env: NodeJS.ProcessEnv, rows: number): Promise<number> {
  const conn = await mongoose
    .createConnection(env.MONGODB_URI!.replace(/\/[^/?]*(\?|$)/, `/bench_raw_${Date.now()}$1`))
    .asPromise();
  try {
    const c = conn.collection('records');
    await c.createIndex({ workspaceId: 1, type: 1, key: 1 }, { unique: true });
    await c.createIndex({ importId: 1 });
    await c.createIndex({ workspaceId: 1, type: 1, createdAt: -1 });
    const t = process.hrtime.bigint();
    for (let i = 0; i < rows; i += 1000) {
      const batch = Array.from({ length: Math.min(1000, rows - i) }, (_, j) => {
        const email = `user${i + j}@example.com`;
        const fields = {
          firstName: 'Ana',
          lastName: 'García',
          email,
          phone: '+1 202 555 0100',
          company: 'Acme 1',
          city: 'Madrid',
          notes: 'Note',
          tags: ['vip', 't1'],
        };
        return {
          workspaceId: 'default',
          type: 'clients',
          key: email,
          fields,
          phoneE164: '+12025550100',
          importId: 'raw',
          sourceRow: i + j + 2,
          lastImportId: 'raw',
          createdAt: new Date(),
          updatedAt: new Date(),
        };
      });
      await c.insertMany(batch, { ordered: false });
    }
    return Number(process.hrtime.bigint() - t) / 1e9;
  } finally {
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function timeImport(path: string, env: NodeJS.ProcessEnv, tag: string) {
  const benchEnv = {
    ...env,
    MONGODB_URI: env.MONGODB_URI!.replace(/\/[^/?]*(\?|$)/, `/bench_${tag}_${Date.now()}$1`),
    INTAKE_QUEUE_PREFIX: `bench${Date.now()}`,
    LOG_LEVEL: 'error',
  };
  const worker = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], {
    env: { ...benchEnv, INTAKE_ROLES: 'worker' },
    stdio: 'inherit',
  });
  const app = await startApp({
    ...benchEnv,
    INTAKE_ROLES: '' /* no roles: this process only uploads and watches */,
  });
  try {
    const imports = app.context.get(ImportService);
    const view = await imports.upload('default', createReadStream(path), {
      fileName: 'bench.csv',
      type: 'clients',
      channel: 'cli',
    });
    const t = process.hrtime.bigint();
    await imports.start('default', view.id);
    let done = view;
    let peak = 0;
    while (!isTerminal(done.status)) {
      await new Promise((r) => setTimeout(r, 200));
      done = await imports.get('default', view.id);
      peak = Math.max(peak, peakRssMb(worker.pid!));
    }
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    return {
      seconds,
      counts: done.counts,
      status: done.status,
      peakMb: Math.max(peak, peakRssMb(worker.pid!)),
    };
  } finally {
    worker.kill('SIGTERM');
    await app.close();
  }
}

async function main(): Promise<void> {
  const arg = process.argv.indexOf('--rows');
  const sizes = (arg > 0 ? process.argv[arg + 1]! : '100000,1000000').split(',').map(Number);
  const services = await provisionServices({
    dataDir: join(DATA, 'services'),
    log: (m) => process.stderr.write(`[bench] ${m}\n`),
  });
  const env = { ...process.env, MONGODB_URI: services.mongoUri, REDIS_URL: services.redisUrl };
  const summary: string[] = [];
  try {
    console.log(
      'rows      | file MB | raw read rows/s | csv-parse rows/s | raw insertMany rows/s | import rows/s | import/min(parse,insert) | worker peak RSS MB | counts',
    );
    for (const rows of sizes) {
      const path = await generate(rows);
      const mb = statSync(path).size / 1048576;
      const raw = await timeRaw(path);
      const cp = await timeCsvParse(path);
      const imp = await timeImport(path, env, String(rows));
      // The insert baseline is measured on at most 100k documents: its rate does not depend on the file.
      const insertRows = Math.min(rows, 100_000);
      const insertRate = Math.round(insertRows / (await timeRawInsert(env, insertRows)));
      const rate = (s: number) => Math.round(rows / s);
      const c = imp.counts;
      const ratio = rate(imp.seconds) / Math.min(rate(cp.seconds), insertRate);
      console.log(
        `${String(rows).padEnd(9)} | ${mb.toFixed(1).padStart(7)} | ${String(rate(raw)).padStart(15)} | ${String(rate(cp.seconds)).padStart(16)} | ${String(insertRate).padStart(21)} | ${String(rate(imp.seconds)).padStart(13)} | ${ratio.toFixed(2).padStart(24)} | ${imp.peakMb.toFixed(0).padStart(18)} | ${imp.status} total=${c.total} imported=${c.imported} skipped=${c.skipped}`,
      );
      summary.push(
        `import_rows_s_${rows}=${rate(imp.seconds)}`,
        `csvparse_rows_s_${rows}=${rate(cp.seconds)}`,
        `insertmany_rows_s_${rows}=${insertRate}`,
        `import_vs_min_parse_insert_${rows}=${ratio.toFixed(2)}`,
        `worker_peak_rss_mb_${rows}=${imp.peakMb.toFixed(0)}`,
      );
    }
  } finally {
    await services.stop();
  }
  console.log(summary.join(' '));
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
