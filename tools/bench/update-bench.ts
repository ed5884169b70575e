import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { withDatabaseName } from '../../src/config/mongo-uri';
import { repoRoot } from '../repo-root';
import type { BenchOptions } from './bench-options';
import { writeClientsCsv } from './client-csv-generator';
import { appConnection, ImportRun, runImports, startWatcher, startWorkers, uploadFile } from './intake-runs';
import { timeRawUpserts, updateFile } from './update-measures';

const DATA = join(repoRoot(), 'bench-data');
const SEED = 42;

/**
 * Update mode: a file is imported once, then (h) imported again with onDuplicate: update, every key
 * existing and half the rows carrying other values, then (j) a file where half the keys exist (with other
 * values again) and half are new. Each through a fresh worker process, against (i)/(k): the driver's own
 * bulkWrite of the same upserts into a collection holding the same records, in the same run.
 */

type Step = 'first import' | 'update, all exist' | 'update, half exist';

const rate = (n: number, s: number) => Math.round(n / s);
const counts = (r: ImportRun) => {
  const c = r.view.counts;
  return `${r.view.status}: ${c.imported} new, ${c.updated} updated, ${c.unchanged ?? 0} unchanged, ${c.skipped} skipped of ${c.total}`;
};

/** The three imports in order, on a database of their own; `main` may be another build's worker. */
async function intakeSteps(
  env: NodeJS.ProcessEnv,
  files: Record<Step, string>,
  o: BenchOptions,
  log: (m: string) => void,
  main?: string,
) {
  const tag = `upd_${main ? 'base_' : ''}${Date.now().toString(36)}`;
  const runEnv = {
    ...env,
    MONGODB_URI: withDatabaseName(env.MONGODB_URI!, `bench_${tag}`),
    INTAKE_QUEUE_PREFIX: `bench_${tag}`,
  };
  const { app, imports } = await startWatcher(runEnv);
  const runs = new Map<Step, ImportRun & { peak: number }>();
  try {
    for (const step of Object.keys(files) as Step[]) {
      const [worker] = await startWorkers(runEnv, 1, o.nodeOptions, main);
      const view = await uploadFile(imports, files[step]);
      log(`updates, ${o.updateRows} rows: ${step}${main ? ' (baseline build)' : ''}`);
      const onDuplicate = step === 'first import' ? 'skip' : 'update';
      const [run] = await runImports(imports, [view], { onDuplicate });
      runs.set(step, { ...run!, peak: worker!.peakRssMb() });
      await worker!.stop();
    }
    await appConnection(app).dropDatabase();
    return { runs, app };
  } catch (e) {
    await app.close();
    throw e;
  }
}

export async function runUpdates(
  env: NodeJS.ProcessEnv,
  o: BenchOptions,
  out: Record<string, string>,
  log: (m: string) => void,
): Promise<string> {
  const rows = o.updateRows;
  mkdirSync(DATA, { recursive: true });
  const original = join(DATA, `clients-v2-${rows}-s${SEED}.csv`);
  if (!existsSync(original)) await writeClientsCsv(original, rows, SEED);
  const files: Record<Step, string> = {
    'first import': original,
    'update, all exist': await updateFile(DATA, rows, SEED, 'changed'),
    'update, half exist': await updateFile(DATA, rows, SEED, 'mixed'),
  };
  const lines = [`Update mode, ${rows} rows (each import through a fresh worker process):`, ''];
  if (o.baselineWorker) {
    const before = await intakeSteps(env, files, o, log, o.baselineWorker);
    await before.app.close();
    for (const [step, run] of before.runs) {
      out[`baseline_build_${slug(step)}_rows_s`] = String(rate(rows, run.seconds));
    }
  }
  const { runs, app } = await intakeSteps(env, files, o, log);
  try {
    log(`updates, ${rows} rows: raw upserts`);
    const conn = appConnection(app);
    const raw = {
      'update, all exist': await timeRawUpserts(conn, original, files['update, all exist']),
      'update, half exist': await timeRawUpserts(conn, original, files['update, half exist']),
    };
    await conn.dropDatabase();
    lines.push(
      '| import | Intake rows/s | raw bulkWrite upserts/s | Intake / raw (target ≥ 0.7) | worker peak RSS MB | counts |',
      '|---|---:|---:|---:|---:|---|',
    );
    for (const [step, run] of runs) {
      const mine = rate(rows, run.seconds);
      const base = step === 'first import' ? undefined : raw[step];
      const theirs = base ? rate(base.upserts, base.seconds) : undefined;
      const ratio = theirs ? (mine / theirs).toFixed(2) : '—';
      lines.push(
        `| ${step} | ${mine} | ${theirs ?? '—'} | ${ratio} | ${run.peak.toFixed(0)} | ${counts(run)} |`,
      );
      out[`${slug(step)}_rows_s`] = String(mine);
      if (theirs) {
        out[`raw_upserts_s_${slug(step)}`] = String(theirs);
        out[`${slug(step)}_vs_raw_upserts`] = ratio;
      }
      const before = out[`baseline_build_${slug(step)}_rows_s`];
      if (before) lines[lines.length - 1] += ` baseline build: ${before} rows/s`;
    }
    lines.push(
      '',
      `Raw upserts: per-field $set by key, bulkWrite commands of the same size as Intake's (FerretDB wedges on bigger update commands).`,
    );
  } finally {
    await app.close();
  }
  return lines.join('\n');
}

const slug = (step: Step) =>
  ({
    'first import': 'update_first_import',
    'update, all exist': 'update_all_exist',
    'update, half exist': 'update_half_exist',
  })[step];
