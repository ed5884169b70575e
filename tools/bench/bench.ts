import 'reflect-metadata';
import { repoRoot } from '../repo-root';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { provisionServices } from '../infra/service-provisioner';
import { withDatabaseName } from '../../src/config/mongo-uri';
import { startApp } from '../../src/app/start';
import { timeCsvParse, timeNaive, timeRawInsert, timeRawRead } from './baseline-measures';
import { GeneratedFile, writeClientsCsv } from './client-csv-generator';
import type { ImportView } from '../../src/engine/imports/import-view';
import { writeClientsWorkbook } from './client-workbook-generator';
import {
  appConnection,
  runImports,
  startWatcher,
  startWorkers,
  timeSuggestion,
  uploadFile,
} from './intake-runs';
import { BenchOptions, parseBenchOptions } from './bench-options';
import { runScale } from './scale-bench';
import { runUpdates } from './update-bench';
import { timeCliImport } from './cli-run';

/**
 * `npm run bench [-- --rows 100000,1000000] [--quick] [--scale]`: on seeded client CSVs, measures in one
 * run and on the same FerretDB/MongoDB (a) raw read, (b) csv-parse alone, (c) Intake's dry run through a
 * real worker process, (d) the driver's raw insertMany, (e) Intake's full import, (f) the `intake import`
 * process end to end, the worker's peak RSS,
 * the naive one-create-per-row import, the mapping suggestion on a ~100 MB file, and update-mode imports
 * against the driver's own upserts (update-bench.ts). Prints a Markdown
 * table and, last, one line of name=value pairs.
 */
const ROOT = repoRoot();
const DATA = join(ROOT, 'bench-data');

/** The same rows as an Excel workbook (one sheet, shared strings), written once and kept. */
async function workbookFile(csv: string, rows: number, seed: number): Promise<{ path: string; mb: number }> {
  const path = join(DATA, `clients-v2-${rows}-s${seed}.xlsx`);
  if (!existsSync(path)) {
    log(`${rows} rows: writing the workbook`);
    await writeClientsWorkbook(csv, `${path}.part`);
    renameSync(`${path}.part`, path);
  }
  return { path, mb: statSync(path).size / 1048576 };
}

type Expected = GeneratedFile['expected'];

/** The generated file (kept between runs) and how many of its rows are new, duplicates and invalid. */
async function csvFile(
  rows: number,
  seed: number,
): Promise<{ path: string; mb: number; expected: Expected }> {
  mkdirSync(DATA, { recursive: true });
  const path = join(DATA, `clients-v2-${rows}-s${seed}.csv`);
  const counts = `${path}.expected.json`;
  if (!existsSync(path) || !existsSync(counts)) {
    log(`${rows} rows: writing the file`);
    const { expected } = await writeClientsCsv(`${path}.part`, rows, seed);
    renameSync(`${path}.part`, path);
    writeFileSync(counts, JSON.stringify(expected));
  }
  const expected = JSON.parse(readFileSync(counts, 'utf8')) as Expected;
  return { path, mb: statSync(path).size / 1048576, expected };
}

/** "exact" when the import's counts are the file's known outcome, else what differs. */
function exactness(counts: ImportView['counts'], expected: Expected): string {
  const skipped = expected.duplicate + expected.invalid;
  return counts.imported === expected.new && counts.skipped === skipped
    ? 'exact'
    : `NOT EXACT: expected ${expected.new} new, ${skipped} skipped`;
}

const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const rate = (rows: number, s: number) => Math.round(rows / s);

type Column = Record<string, string>;

/** (c) and (e) through one fresh worker process each, on a database of their own; keeps the watcher open. */
async function intakeRuns(
  env: NodeJS.ProcessEnv,
  path: string,
  rows: number,
  o: BenchOptions,
  main?: string,
) {
  const tag = `${rows}_${main ? 'base_' : ''}${Date.now().toString(36)}`;
  const runEnv = {
    ...env,
    MONGODB_URI: withDatabaseName(env.MONGODB_URI!, `bench_${tag}`),
    INTAKE_QUEUE_PREFIX: `bench_${tag}`,
  };
  const { app, imports } = await startWatcher(runEnv);
  const timed = async (dryRun: boolean) => {
    const [worker] = await startWorkers(runEnv, 1, o.nodeOptions, main);
    const idle = worker!.rssMb();
    const view = await uploadFile(imports, path);
    log(`${rows} rows: ${dryRun ? 'dry run' : 'import'} started${main ? ' (baseline build)' : ''}`);
    const [run] = await runImports(imports, [view], { dryRun });
    const peak = worker!.peakRssMb();
    await worker!.stop();
    return { ...run!, peak, idle };
  };
  try {
    const dry = await timed(true);
    const imp = await timed(false);
    return { app, dry, imp };
  } catch (e) {
    await app.close();
    throw e;
  }
}

async function benchSize(env: NodeJS.ProcessEnv, rows: number, o: BenchOptions, out: Record<string, string>) {
  const { path, mb, expected } = await csvFile(rows, 42);
  const col: Column = { 'file MB': mb.toFixed(1) };
  const raw = await timeRawRead(path);
  const cp = await timeCsvParse(path);
  if (o.baselineWorker) {
    // The other build first, on a database of its own, then this one: a before/after in the same run.
    const old = await intakeRuns(env, path, rows, o, o.baselineWorker);
    await appConnection(old.app).dropDatabase();
    await old.app.close();
    col['(c) dry run rows/s, baseline build'] = String(rate(rows, old.dry.seconds));
    col['(e) import rows/s, baseline build'] = String(rate(rows, old.imp.seconds));
    col['worker peak RSS MB, import, baseline build'] = old.imp.peak.toFixed(0);
    out[`baseline_build_dryrun_rows_s_${rows}`] = String(rate(rows, old.dry.seconds));
    out[`baseline_build_import_rows_s_${rows}`] = String(rate(rows, old.imp.seconds));
  }
  const { app, dry, imp } = await intakeRuns(env, path, rows, o);
  if (o.intakeOnly) {
    // A long run: csv-parse, the dry run and the import, their memory and whether the counts are exact.
    Object.assign(col, {
      '(b) csv-parse rows/s': String(rate(rows, cp.seconds)),
      '(c) Intake dry run rows/s': String(rate(rows, dry.seconds)),
      '(e) Intake import rows/s': String(rate(rows, imp.seconds)),
      '(c)/(b) (target ≥ 0.5)': (cp.seconds / dry.seconds).toFixed(2),
      'worker peak RSS MB, import': imp.peak.toFixed(0),
      'worker peak RSS MB, dry run': dry.peak.toFixed(0),
      'worker RSS MB at start': imp.idle.toFixed(0),
      'import counts': `${imp.view.status}: ${imp.view.counts.imported} new, ${imp.view.counts.skipped} skipped of ${imp.view.counts.total} (${exactness(imp.view.counts, expected)})`,
      'dry run counts': `${dry.view.status}: ${dry.view.counts.imported} new, ${dry.view.counts.skipped} skipped (${exactness(dry.view.counts, expected)})`,
    });
    Object.assign(out, {
      [`csvparse_rows_s_${rows}`]: rate(rows, cp.seconds),
      [`dryrun_rows_s_${rows}`]: rate(rows, dry.seconds),
      [`import_rows_s_${rows}`]: rate(rows, imp.seconds),
      [`worker_peak_rss_mb_${rows}`]: imp.peak.toFixed(0),
      [`worker_peak_rss_mb_dryrun_${rows}`]: dry.peak.toFixed(0),
      [`import_counts_${rows}`]: exactness(imp.view.counts, expected).split(':')[0],
    });
    await appConnection(app).dropDatabase();
    await app.close();
    return col;
  }
  try {
    log(`${rows} rows: raw insertMany`);
    const insert = await timeRawInsert(appConnection(app), rows);
    log(`${rows} rows: intake import as its own process`);
    const cliTag = `${rows}_${Date.now().toString(36)}`;
    const cli = await timeCliImport(env, path, cliTag, o.nodeOptions, DATA);
    await appConnection(app).useDb(`bench_cli_${cliTag}`).dropDatabase();
    const r = {
      a: rate(rows, raw),
      b: rate(rows, cp.seconds),
      c: rate(rows, dry.seconds),
      d: rate(rows, insert),
      e: rate(rows, imp.seconds),
      f: rate(rows, cli.seconds),
    };
    const cb = r.c / r.b;
    const ebd = r.e / Math.min(r.b, r.d);
    Object.assign(col, {
      '(a) raw read rows/s': String(r.a),
      '(b) csv-parse rows/s': String(r.b),
      '(c) Intake dry run rows/s': String(r.c),
      '(d) raw insertMany docs/s': String(r.d),
      '(e) Intake import rows/s': String(r.e),
      '(c)/(b) (target ≥ 0.5)': cb.toFixed(2),
      '(e)/min(b,d) (target ≥ 0.7)': ebd.toFixed(2),
      '(f) `intake import` process rows/s': String(r.f),
      '(f)/min(b,d) (target ≥ 0.6)': (r.f / Math.min(r.b, r.d)).toFixed(2),
      '`intake import` peak RSS MB': cli.peakMb.toFixed(0),
      '`intake import` counts': `${cli.status}: ${cli.counts.imported} new, ${cli.counts.skipped} skipped`,
      'worker peak RSS MB, import': imp.peak.toFixed(0),
      'worker peak RSS MB, dry run': dry.peak.toFixed(0),
      'worker RSS MB at start': imp.idle.toFixed(0),
      'import counts': `${imp.view.status}: ${imp.view.counts.imported} new, ${imp.view.counts.skipped} skipped of ${imp.view.counts.total} (${exactness(imp.view.counts, expected)})`,
    });
    Object.assign(out, {
      [`raw_read_rows_s_${rows}`]: r.a,
      [`csvparse_rows_s_${rows}`]: r.b,
      [`dryrun_rows_s_${rows}`]: r.c,
      [`insertmany_docs_s_${rows}`]: r.d,
      [`import_rows_s_${rows}`]: r.e,
      [`cli_import_rows_s_${rows}`]: r.f,
      [`cli_peak_rss_mb_${rows}`]: cli.peakMb.toFixed(0),
      [`dryrun_vs_csvparse_${rows}`]: cb.toFixed(2),
      [`import_vs_min_parse_insert_${rows}`]: ebd.toFixed(2),
      [`worker_peak_rss_mb_${rows}`]: imp.peak.toFixed(0),
      [`worker_peak_rss_mb_dryrun_${rows}`]: dry.peak.toFixed(0),
    });
    if (o.workbooks) await benchWorkbook(env, path, rows, o, col, out);
    if (rows === Math.min(...o.sizes) && o.naiveRows > 0) {
      const n = Math.min(rows, o.naiveRows);
      log(`naive Model.create import of ${n} rows`);
      const naive = rate(n, await timeNaive(appConnection(app), path, n));
      col[`naive Model.create rows/s (${n} rows)`] = String(naive);
      out.naive_rows_s = String(naive);
      out.import_vs_naive = (r.e / naive).toFixed(1);
    }
    await appConnection(app).dropDatabase();
  } finally {
    await app.close();
  }
  return col;
}

/** (w1) and (w2): the same rows as an .xlsx, dry run and import through a fresh worker each. */
async function benchWorkbook(
  env: NodeJS.ProcessEnv,
  csv: string,
  rows: number,
  o: BenchOptions,
  col: Column,
  out: Record<string, string>,
) {
  const book = await workbookFile(csv, rows, 42);
  const { app, dry, imp } = await intakeRuns(env, book.path, rows, o);
  try {
    const [f, g] = [rate(rows, dry.seconds), rate(rows, imp.seconds)];
    Object.assign(col, {
      'workbook MB (.xlsx)': book.mb.toFixed(1),
      '(w1) Intake dry run rows/s, workbook': String(f),
      '(w2) Intake import rows/s, workbook': String(g),
      'worker peak RSS MB, workbook import': imp.peak.toFixed(0),
      'worker peak RSS MB, workbook dry run': dry.peak.toFixed(0),
      'workbook import counts': `${imp.view.status}: ${imp.view.counts.imported} new, ${imp.view.counts.skipped} skipped of ${imp.view.counts.total}`,
    });
    Object.assign(out, {
      [`xlsx_dryrun_rows_s_${rows}`]: f,
      [`xlsx_import_rows_s_${rows}`]: g,
      [`xlsx_worker_peak_rss_mb_${rows}`]: imp.peak.toFixed(0),
      [`xlsx_worker_peak_rss_mb_dryrun_${rows}`]: dry.peak.toFixed(0),
    });
    await appConnection(app).dropDatabase();
  } finally {
    await app.close();
  }
}

async function benchSuggestion(env: NodeJS.ProcessEnv, o: BenchOptions, out: Record<string, string>) {
  const sample = await csvFile(10_000, 7);
  const rows = Math.ceil((o.suggestMb * 10_000) / sample.mb);
  const { path, mb } = await csvFile(rows, 7);
  const tag = `suggest_${Date.now().toString(36)}`;
  const apiKey = `ik_bench_${tag}`;
  const app = await startApp({
    ...env,
    MONGODB_URI: withDatabaseName(env.MONGODB_URI!, `bench_${tag}`),
    INTAKE_QUEUE_PREFIX: `bench_${tag}`,
    INTAKE_ROLES: 'api',
    INTAKE_API_KEY: apiKey,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    INTAKE_MAX_FILE_BYTES: String(Math.max(512, Math.ceil(mb * 2)) * 1024 * 1024),
  });
  try {
    const s = await timeSuggestion(app, apiKey, path);
    out.suggest_from_head_s = s.suggestFromHead.toFixed(3);
    out.cli_probe_and_suggest_s = s.cliProbeAndSuggest.toFixed(2);
    out.upload_first_answer_http_s = s.httpFirstAnswer.toFixed(2);
    out.upload_stored_after_answer_s = s.httpStoredAfter.toFixed(1);
    out.upload_and_suggest_s = s.uploadAndSuggest.toFixed(2);
    out.store_whole_first_s = s.storeWholeFirst.toFixed(1);
    out.suggest_file_mb = mb.toFixed(0);
    await appConnection(app).dropDatabase();
    return (
      `Upload of a ${mb.toFixed(0)} MB file: first answer (POST /imports over loopback, the proposal) ` +
      `${s.httpFirstAnswer.toFixed(2)} s, stored in GridFS ${s.httpStoredAfter.toFixed(1)} s after it; ` +
      `the propose use case in the process ${s.uploadAndSuggest.toFixed(2)} s; the same file stored whole ` +
      `first, as the answer used to wait for, ${s.storeWholeFirst.toFixed(1)} s ` +
      `(first answer / store-first ${(s.httpFirstAnswer / s.storeWholeFirst).toFixed(2)}). ` +
      `The suggestion itself (sniff + type guess + suggest on the 256 kB head, ${s.suggestedColumns} columns mapped) ` +
      `${(s.suggestFromHead * 1000).toFixed(0)} ms; the CLI's probe + suggest on the local file (reads all of it) ` +
      `${s.cliProbeAndSuggest.toFixed(2)} s.`
    );
  } finally {
    await app.close();
  }
}

function table(cols: Map<number, Column>): string {
  const sizes = [...cols.keys()];
  const names = [...new Set([...cols.values()].flatMap((c) => Object.keys(c)))];
  const lines = [
    `| measure | ${sizes.map((s) => `${s.toLocaleString('en-US')} rows`).join(' | ')} |`,
    `|---|${sizes.map(() => '---:').join('|')}|`,
    ...names.map((n) => `| ${n} | ${sizes.map((s) => cols.get(s)?.[n] ?? '—').join(' | ')} |`),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const o = parseBenchOptions(process.argv.slice(2));
  const services = await provisionServices({ dataDir: join(DATA, 'services'), log });
  const env = {
    ...process.env,
    MONGODB_URI: services.mongoUri,
    REDIS_URL: services.redisUrl,
    LOG_LEVEL: 'error',
    // The bench's largest files (ten million rows, ~1.2 GB) are past the default upload limit.
    INTAKE_MAX_FILE_BYTES: String(4 * 1024 ** 3),
  };
  const out: Record<string, string> = {};
  const notes: string[] = [
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}; services: ${services.started.join(' + ') || 'from the environment'}.`,
  ];
  try {
    const cols = new Map<number, Column>();
    for (const rows of o.sizes) cols.set(rows, await benchSize(env, rows, o, out));
    if (cols.size) {
      console.log(table(cols));
      const [small, big] = [Math.min(...o.sizes), Math.max(...o.sizes)];
      if (big > small) {
        const growth =
          Number(out[`worker_peak_rss_mb_${big}`]) / Number(out[`worker_peak_rss_mb_${small}`]) - 1;
        out.rss_growth_pct = (growth * 100).toFixed(0);
        notes.push(
          `Worker peak RSS growth ${small} → ${big} rows: ${(growth * 100).toFixed(0)}% (target < 30%).`,
        );
      }
    }
    if (o.suggestMb > 0) notes.push(await benchSuggestion(env, o, out));
    if (o.updateRows > 0) notes.push(await runUpdates(env, o, out, log));
    if (o.scaleRows > 0) notes.push(await runScale(env, o, out, log));
  } finally {
    await services.stop();
  }
  notes.push(`Worker processes ran with NODE_OPTIONS="${o.nodeOptions}" (--worker-node-options).`);
  console.log(notes.join('\n'));
  console.log(
    Object.entries(out)
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
  );
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
