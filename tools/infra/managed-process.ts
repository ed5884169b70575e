import { spawn, type ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';

/** A server process we started for dev or tests, and that must not outlive us. */
export type ManagedProcess = {
  readonly name: string;
  readonly pid: number;
  /** Why the process is gone (exit code, signal or spawn error); undefined while it runs. */
  exitReason(): string | undefined;
  /** The last few kilobytes of its stdout and stderr, to explain a failed start. */
  recentOutput(): string;
  /** SIGTERM, then SIGKILL after graceMs; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
};

const OUTPUT_LIMIT = 8192;
const live = new Set<ChildProcess>();
const cleanups = new Set<() => void>();
let hooksInstalled = false;

function killAllNow(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
  for (const cleanup of cleanups) cleanup();
  cleanups.clear();
}

// 'exit' handlers must be synchronous, so children get SIGKILL there. A bare SIGINT/SIGTERM would
// end Node without running 'exit' handlers, hence the signal hooks; they step aside when the program
// handles the signal itself (dev.ts, jest), because that program exits afterwards and 'exit' runs.
/**
 * Runs a synchronous cleanup (e.g. removing a temp dir) if the process exits before it is
 * cancelled; returns the cancel function.
 */
export function cleanupOnExit(cleanup: () => void): () => void {
  installExitHooks();
  cleanups.add(cleanup);
  return () => void cleanups.delete(cleanup);
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      if (process.listenerCount(signal) > 1) return;
      killAllNow();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

function unrefStream(stream: unknown): void {
  if (stream instanceof Socket) stream.unref();
}

/**
 * Starts a long-running server. The child is unref'd so it never keeps the parent alive on its own;
 * the exit hooks kill it when the parent goes.
 */
export function startManagedProcess(
  name: string,
  command: string,
  args: string[],
  cwd?: string,
): ManagedProcess {
  installExitHooks();
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  let output = '';
  let reason: string | undefined;
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => {
    child.once('error', (err) => {
      reason ??= `could not start ${command}: ${err.message}`;
      live.delete(child);
      resolve();
    });
    child.once('exit', (code, signal) => {
      reason ??= signal ? `killed by ${signal}` : `exited with code ${String(code)}`;
      live.delete(child);
      resolve();
    });
  });
  live.add(child);
  child.unref();
  unrefStream(child.stdout);
  unrefStream(child.stderr);

  return {
    name,
    pid: child.pid ?? -1,
    exitReason: () => reason,
    recentOutput: () => output,
    async stop(graceMs = 5000): Promise<void> {
      if (reason !== undefined) return;
      child.ref(); // keep the loop alive until the exit event arrives
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** An error that carries the child's last output, so a failed start explains itself. */
export function startFailure(proc: ManagedProcess, cause: unknown): Error {
  const message = cause instanceof Error ? cause.message : String(cause);
  const tail = proc.recentOutput().trim().split('\n').slice(-20).join('\n');
  return new Error(
    `${proc.name} did not start: ${message}${tail ? `\n--- ${proc.name} output ---\n${tail}` : ''}`,
  );
}

/** For pollUntil's abort: stop waiting as soon as the process has died. */
export function exitedError(proc: ManagedProcess): () => Error | undefined {
  return () => {
    const reason = proc.exitReason();
    return reason ? new Error(reason) : undefined;
  };
}
