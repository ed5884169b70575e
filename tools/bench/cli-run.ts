import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { withDatabaseName } from '../../src/config/mongo-uri';
import { repoRoot } from '../repo-root';

const CLI = join(repoRoot(), 'dist', 'src', 'doors', 'cli', 'main.js');

export interface CliRun {
  seconds: number;
  /** The process's peak resident memory (VmHWM), sampled every 100 ms until it exits, in MB. */
  peakMb: number;
  status: string;
  counts: Record<string, number>;
}

function peakOf(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * (f) the whole user path: `intake import FILE --type clients --yes --json` as its own process (upload
 * into GridFS, its own worker, the report written), timed from spawn to exit, on a database of its own.
 */
export async function timeCliImport(
  env: NodeJS.ProcessEnv,
  path: string,
  tag: string,
  nodeOptions: string,
  reportDir: string,
): Promise<CliRun> {
  const report = join(reportDir, `cli-report-${tag}.csv`);
  const runEnv = {
    ...env,
    MONGODB_URI: withDatabaseName(env.MONGODB_URI!, `bench_cli_${tag}`),
    INTAKE_QUEUE_PREFIX: `bench_cli_${tag}`,
    NODE_OPTIONS: nodeOptions,
    LOG_LEVEL: 'warn',
  };
  const started = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    [CLI, 'import', path, '--type', 'clients', '--yes', '--json', '--report', report],
    {
      env: runEnv,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let peakMb = 0;
  const sampler = setInterval(() => {
    const now = peakOf(child.pid!);
    if (now > peakMb) peakMb = now;
  }, 100);
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  const code = await new Promise<number | null>((ok) => child.once('exit', (c) => ok(c)));
  clearInterval(sampler);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rmSync(report, { force: true });
  const last = out.trim().split('\n').pop() ?? '';
  let parsed: { status?: string; counts?: Record<string, number> } = {};
  try {
    parsed = JSON.parse(last) as typeof parsed;
  } catch {
    throw new Error(`intake import exited ${code} without its JSON line: ${last.slice(0, 200)}`);
  }
  return { seconds, peakMb, status: String(parsed.status), counts: parsed.counts ?? {} };
}
