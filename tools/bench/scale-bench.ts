import { existsSync, mkdirSync } from 'node:fs';
import { repoRoot } from '../repo-root';
import { join } from 'node:path';
import { withDatabaseName } from '../../src/config/mongo-uri';
import type { BenchOptions } from './bench-options';
import { writeClientsCsv } from './client-csv-generator';
import { appConnection, runImports, startWatcher, startWorkers, uploadFile } from './intake-runs';

const DATA = join(repoRoot(), 'bench-data');

interface Layout {
  label: string;
  processes: number;
  concurrency: number;
}

/** 1 process running the two imports one after the other; 1 process running both; 2 processes, one each. */
const LAYOUTS: Layout[] = [
  { label: '1 worker process, concurrency 1', processes: 1, concurrency: 1 },
  { label: '1 worker process, concurrency 2', processes: 1, concurrency: 2 },
  { label: '2 worker processes, concurrency 1', processes: 2, concurrency: 1 },
];

/**
 * Horizontal scale: two concurrent imports of different files (disjoint keys) against the same shared
 * MongoDB-wire server and Redis, by one worker process and by two. Wall time = first start to last end.
 */
export async function runScale(
  env: NodeJS.ProcessEnv,
  o: BenchOptions,
  out: Record<string, string>,
  log: (m: string) => void,
): Promise<string> {
  mkdirSync(DATA, { recursive: true });
  const files = await Promise.all(
    [101, 102].map(async (seed) => {
      const path = join(DATA, `clients-v2-${o.scaleRows}-s${seed}.csv`);
      if (!existsSync(path)) await writeClientsCsv(path, o.scaleRows, seed);
      return path;
    }),
  );
  const lines = [
    `Two concurrent imports of ${o.scaleRows} rows each (different files), same FerretDB + Redis:`,
    '',
    '| workers | wall s | rows/s (both) | vs 1 process × 1 |',
    '|---|---:|---:|---:|',
  ];
  let base = 0;
  for (const [i, layout] of LAYOUTS.entries()) {
    const tag = `scale${i}_${Date.now().toString(36)}`;
    const runEnv = {
      ...env,
      MONGODB_URI: withDatabaseName(env.MONGODB_URI!, `bench_${tag}`),
      INTAKE_QUEUE_PREFIX: `bench_${tag}`,
      INTAKE_WORKER_CONCURRENCY: String(layout.concurrency),
    };
    const { app, imports } = await startWatcher(runEnv);
    try {
      const views = [await uploadFile(imports, files[0]!), await uploadFile(imports, files[1]!)];
      const workers = await startWorkers(runEnv, layout.processes, o.nodeOptions);
      log(`scale: ${layout.label}`);
      const runs = await runImports(imports, views);
      await Promise.all(workers.map((w) => w.stop()));
      const starts = runs.map((r) => r.view.startedAt!.getTime());
      const ends = runs.map((r) => r.view.finishedAt!.getTime());
      const wall = (Math.max(...ends) - Math.min(...starts)) / 1000;
      const rps = Math.round((2 * o.scaleRows) / wall);
      if (!base) base = rps;
      const ok = runs.every((r) => r.view.status === 'completed');
      lines.push(
        `| ${layout.label} | ${wall.toFixed(1)} | ${rps} | ${(rps / base).toFixed(2)}${ok ? '' : ' (an import failed)'} |`,
      );
      out[`scale_rows_s_p${layout.processes}c${layout.concurrency}`] = String(rps);
      await appConnection(app).dropDatabase();
    } finally {
      await app.close();
    }
  }
  out.scale_2proc_vs_1proc = (
    Number(out.scale_rows_s_p2c1) / Math.max(Number(out.scale_rows_s_p1c2), Number(out.scale_rows_s_p1c1))
  ).toFixed(2);
  return lines.join('\n');
}
