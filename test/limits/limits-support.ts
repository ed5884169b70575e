import { createWriteStream, openAsBlob } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { findFreePort } from '../../tools/infra/free-port';
import { startWorker, Worker } from '../reliability/fault-support';
import type { Harness } from '../support/intake-harness';

/** The heap cap docker-compose.yml gives every Intake process. */
export const COMPOSE_HEAP = '--max-old-space-size=160';

/** A real all-in-one Intake (API, SMTP and worker, as by default) under the compose heap cap. */
export interface AllInOne {
  worker: Worker;
  url: string;
  smtpPort: number;
  /** Peak resident memory so far (VmHWM), in MiB. */
  peakRssMiB(): Promise<number>;
}

export async function startAllInOne(h: Harness, extra: NodeJS.ProcessEnv = {}): Promise<AllInOne> {
  const [httpPort, smtpPort] = [await findFreePort(), await findFreePort()];
  const worker = startWorker(h.env, {
    INTAKE_ROLES: 'api,smtp,worker',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(httpPort),
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    NODE_OPTIONS: COMPOSE_HEAP,
    ...extra,
  });
  const url = `http://127.0.0.1:${httpPort}`;
  const until = Date.now() + 60_000;
  while (!(await healthy(url))) {
    if (!worker.alive()) throw new Error(`Intake did not start:\n${worker.output()}`);
    if (Date.now() > until) throw new Error(`Intake did not answer /health:\n${worker.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    worker,
    url,
    smtpPort,
    peakRssMiB: async () => {
      const status = await readFile(`/proc/${worker.child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
      return Math.round(kb / 1024);
    },
  };
}

export async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) })).status === 200;
  } catch {
    return false;
  }
}

export function api(h: Harness, base: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${h.apiKey}`);
  return fetch(`${base}${path}`, { ...init, headers });
}

/** Uploads a file from disk over real HTTP, streaming it (the test never holds it whole). */
export async function uploadFile(h: Harness, base: string, path: string, type: string): Promise<Response> {
  const form = new FormData();
  form.append('type', type);
  form.append('file', await openAsBlob(path), 'big.csv');
  return api(h, base, '/imports', { method: 'POST', body: form });
}

/** A temp dir for generated files, removed by `cleanup`. */
export async function scratch(): Promise<{ path(name: string): string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'intake-limits-'));
  return { path: (name) => join(dir, name), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes generated parts to a file, honouring back-pressure. */
export async function writeFile(path: string, parts: Iterable<string | Buffer>): Promise<void> {
  const out = createWriteStream(path);
  for (const part of parts) {
    if (!out.write(part)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
