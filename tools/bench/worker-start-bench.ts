import 'reflect-metadata';
import { join } from 'node:path';
import { withDatabaseName } from '../../src/config/mongo-uri';
import { provisionServices } from '../infra/service-provisioner';
import { repoRoot } from '../repo-root';
import { WORKER_NODE_OPTIONS } from './bench-options';
import { startWorker } from './worker-process';

/**
 * `npm run bench:worker-start [-- --repeat N] [--baseline-worker <other build>/dist/src/main.js]`:
 * starts a worker-only process (`INTAKE_ROLES=worker`, compose's NODE_OPTIONS) N times, one after the
 * other, and prints its resident memory (VmRSS) once it takes jobs, and its peak (VmHWM) by then, in MB;
 * with another build's worker too, alternating, for a before/after in the same run.
 */
const HELP = `npm run bench:worker-start -- [--repeat N] [--baseline-worker PATH] [--worker-node-options S]`;

function options(argv: readonly string[]) {
  const o = { repeat: 5, baseline: undefined as string | undefined, nodeOptions: WORKER_NODE_OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--repeat') o.repeat = Number(argv[++i]);
    else if (a === '--baseline-worker') o.baseline = argv[++i];
    else if (a === '--worker-node-options') o.nodeOptions = argv[++i] ?? '';
    else throw new Error(`unknown option ${a}\n${HELP}`);
  }
  if (!Number.isInteger(o.repeat) || o.repeat < 1) throw new Error(`--repeat needs a whole number\n${HELP}`);
  return o;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const log = (m: string) => process.stderr.write(`[worker-start] ${m}\n`);

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  const services = await provisionServices({ dataDir: join(repoRoot(), 'bench-data', 'services'), log });
  const env = {
    ...process.env,
    MONGODB_URI: withDatabaseName(services.mongoUri, 'bench_worker_start'),
    REDIS_URL: services.redisUrl,
    INTAKE_QUEUE_PREFIX: 'bench_worker_start',
    LOG_LEVEL: 'error',
  };
  const builds: [string, string | undefined][] = [['this build', undefined]];
  if (o.baseline) builds.unshift(['baseline build', o.baseline]);
  const figures = new Map(builds.map(([name]) => [name, { rss: [] as number[], peak: [] as number[] }]));
  try {
    for (let i = 0; i < o.repeat; i++) {
      for (const [name, main] of builds) {
        const worker = startWorker(env, o.nodeOptions, main);
        await worker.ready;
        figures.get(name)!.rss.push(worker.rssMb());
        figures.get(name)!.peak.push(worker.peakRssMb());
        await worker.stop();
      }
    }
  } finally {
    await services.stop();
  }
  const out: string[] = [];
  console.log('| worker-only process, once it takes jobs | RSS MB (median) | peak RSS MB (median) | runs |');
  console.log('|---|---:|---:|---:|');
  for (const [name, f] of figures) {
    const tag = name === 'this build' ? '' : 'baseline_';
    console.log(`| ${name} | ${median(f.rss).toFixed(0)} | ${median(f.peak).toFixed(0)} | ${f.rss.length} |`);
    out.push(`${tag}worker_start_rss_mb=${median(f.rss).toFixed(0)}`);
    out.push(`${tag}worker_start_peak_rss_mb=${median(f.peak).toFixed(0)}`);
  }
  console.log(`Worker NODE_OPTIONS="${o.nodeOptions}".`);
  console.log(out.join(' '));
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
