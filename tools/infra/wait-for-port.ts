import { connect } from 'node:net';

/** True when something accepts a TCP connection on host:port within timeoutMs. */
export async function isPortOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export type PollOptions = {
  timeoutMs: number;
  intervalMs?: number;
  /** What we wait for, for the error message. */
  what: string;
  /** Returns an error to stop waiting at once, e.g. when the child process has already died. */
  abort?: () => Error | undefined;
};

/** Calls check until it returns true; throws after timeoutMs or as soon as abort() reports a failure. */
export async function pollUntil(check: () => Promise<boolean>, opts: PollOptions): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  const intervalMs = opts.intervalMs ?? 100;
  for (;;) {
    const aborted = opts.abort?.();
    if (aborted) throw aborted;
    if (await check()) return;
    if (Date.now() >= deadline)
      throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Resolves once host:port accepts TCP connections; rejects after timeoutMs. */
export async function waitForPort(
  host: string,
  port: number,
  timeoutMs: number,
  abort?: () => Error | undefined,
): Promise<void> {
  await pollUntil(() => isPortOpen(host, port, Math.min(1000, timeoutMs)), {
    timeoutMs,
    what: `${host}:${port} to accept connections`,
    abort,
  });
}
