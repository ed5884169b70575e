import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from '../repo-root';

const MAIN = join(repoRoot(), 'dist', 'src', 'main.js');

/** A worker-only Intake (`INTAKE_ROLES=worker node dist/src/main.js`) started by a benchmark. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Lines the worker logged, newest last (its "import … running" lines tell which imports it ran). */
  readonly lines: string[];
  /** Resolves once the worker has started its roles (it then takes jobs). */
  readonly ready: Promise<void>;
  /** Peak resident memory so far (the kernel's VmHWM), in MB; NaN once the process is gone. */
  peakRssMb(): number;
  /** Current resident memory (VmRSS), in MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

function status(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * `nodeOptions` go to the worker's NODE_OPTIONS (e.g. heap flags under test); `main` may name another
 * build's dist/src/main.js (e.g. the engine before a change, for a before/after in the same run).
 */
export function startWorker(env: NodeJS.ProcessEnv, nodeOptions = '', main = MAIN): WorkerProcess {
  const child = spawn(process.execPath, [main], {
    env: { ...env, INTAKE_ROLES: 'worker', LOG_LEVEL: 'info', NODE_OPTIONS: nodeOptions },
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: repoRoot(dirname(main)),
  });
  const lines: string[] = [];
  let buffer = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((ok, fail) => {
    onReady = ok;
    child.once('exit', (code, signal) =>
      fail(new Error(`worker exited (${code ?? signal}) before it was ready`)),
    );
  });
  ready.catch(() => undefined);
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (line.includes('Intake running roles')) onReady();
    }
    if (lines.length > 500) lines.splice(0, lines.length - 500);
  });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  return {
    child,
    lines,
    ready,
    peakRssMb: () => status(child.pid!, 'VmHWM'),
    rssMb: () => status(child.pid!, 'VmRSS'),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
