import { createReadStream } from 'node:fs';
import { request } from 'node:http';
import { open, stat } from 'node:fs/promises';
import { Connection } from 'mongoose';
import { getConnectionToken } from '@nestjs/mongoose';
import { RunningApp, startApp } from '../../src/app/start';
import { loadConfig } from '../../src/config/app-config';
import { guessType, suggestMapping } from '../../src/core/mapping/mapping-suggester';
import { sniffLayout } from '../../src/core/parse/file-sniffer';
import { probeFile, suggestFor } from '../../src/doors/cli/file-probe';
import { isTerminal } from '../../src/core/lifecycle/import-lifecycle';
import type { INestApplicationContext } from '@nestjs/common';
import type { OnDuplicate } from '../../src/engine/imports/import.schema';
import { CancelImport } from '../../src/engine/use-cases/cancel/use-case';
import { ProposeImport } from '../../src/engine/use-cases/propose/use-case';
import { ImportQueries } from '../../src/engine/use-cases/queries/import-queries';
import { StartImport } from '../../src/engine/use-cases/start/use-case';
import { FileStore } from '../../src/engine/storage/file-store';
import type { ImportView } from '../../src/engine/imports/import-view';
import { startWorker, WorkerProcess } from './worker-process';

/** Intake's own runs for the benchmark: imports through real worker processes, and the suggestion. */

export interface ImportRun {
  seconds: number;
  view: ImportView;
}

/** The use cases the benchmark drives in its own process, as the CLI does, in the default workspace. */
export class BenchImports {
  private readonly at = { workspaceId: 'default', actor: { door: 'cli', person: null } } as const;

  constructor(private readonly app: INestApplicationContext) {}

  upload(path: string): Promise<ImportView> {
    const source = createReadStream(path);
    return this.app
      .get(ProposeImport)
      .execute({ ...this.at, source, fileName: 'bench.csv', type: 'clients' });
  }

  start(id: string, opts: { dryRun: boolean; onDuplicate?: OnDuplicate }) {
    return this.app.get(StartImport).execute({ ...this.at, importId: id, ...opts });
  }

  get(id: string): Promise<ImportView> {
    return this.app.get(ImportQueries).get(this.at.workspaceId, id);
  }

  cancel(id: string): Promise<ImportView> {
    return this.app.get(CancelImport).execute({ ...this.at, importId: id });
  }
}

/** An uploading, watching Intake with no roles of its own, on a database of its own. */
export async function startWatcher(
  env: NodeJS.ProcessEnv,
): Promise<{ app: RunningApp; imports: BenchImports }> {
  const app = await startApp({ ...env, INTAKE_ROLES: '' });
  return { app, imports: new BenchImports(app.context) };
}

export function appConnection(app: RunningApp): Connection {
  return app.context.get<Connection>(getConnectionToken());
}

/** Starts `count` worker processes and waits until each takes jobs. */
export async function startWorkers(
  env: NodeJS.ProcessEnv,
  count: number,
  nodeOptions = '',
  main?: string,
): Promise<WorkerProcess[]> {
  const workers = Array.from({ length: count }, () => startWorker(env, nodeOptions, main));
  await Promise.all(workers.map((w) => w.ready));
  return workers;
}

export async function uploadFile(imports: BenchImports, path: string): Promise<ImportView> {
  return imports.upload(path);
}

/** Starts the uploaded imports together and waits for all; seconds = first start to last end. */
export async function runImports(
  imports: BenchImports,
  views: readonly ImportView[],
  opts: { dryRun?: boolean; onDuplicate?: 'skip' | 'update'; onSample?: () => void } = {},
): Promise<ImportRun[]> {
  const t = process.hrtime.bigint();
  const start = {
    dryRun: opts.dryRun ?? false,
    ...(opts.onDuplicate ? { onDuplicate: opts.onDuplicate } : {}),
  };
  await Promise.all(views.map((v) => imports.start(v.id, start)));
  const done = new Map<string, ImportRun>();
  while (done.size < views.length) {
    await new Promise((r) => setTimeout(r, 200));
    opts.onSample?.();
    for (const v of views) {
      if (done.has(v.id)) continue;
      const now = await imports.get(v.id);
      if (!isTerminal(now.status)) continue;
      // The worker's own clock from begin to end: excludes polling and queue pickup.
      const own =
        now.startedAt && now.finishedAt ? (now.finishedAt.getTime() - now.startedAt.getTime()) / 1000 : NaN;
      done.set(v.id, { seconds: own || Number(process.hrtime.bigint() - t) / 1e9, view: now });
    }
  }
  return views.map((v) => done.get(v.id)!);
}

export interface SuggestTimes {
  /** POST /imports over loopback HTTP, from the first byte sent to the proposal received. */
  httpFirstAnswer: number;
  /** From that answer until the file is stored in GridFS behind it (the import shows fileStored). */
  httpStoredAfter: number;
  /** The propose use case in the process (what every door calls): the proposal, before storing ends. */
  uploadAndSuggest: number;
  /** Before: the whole file into GridFS first (what the answer waited for until it no longer did). */
  storeWholeFirst: number;
  /** The suggestion step of that upload alone: sniff + guess type + suggest on the 256 kB head. */
  suggestFromHead: number;
  /** The CLI's suggestion on a local file: read it all (UTF-8 check, head kept), sniff, suggest. */
  cliProbeAndSuggest: number;
  suggestedColumns: number;
}

const seconds = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e9;

/**
 * POST /imports as a plain multipart request streamed from disk, as curl sends it (fetch's FormData
 * encoder in Node costs seconds on 100 MB, which is the client's time, not Intake's).
 */
async function postFile(
  url: string,
  apiKey: string,
  path: string,
): Promise<{ status: number; body: string }> {
  const boundary = `----intake-bench-${Date.now().toString(36)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\nclients\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.csv"\r\n` +
      'Content-Type: text/csv\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = (await stat(path)).size;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${apiKey}`,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': head.length + size + tail.length,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.write(head);
    const file = createReadStream(path);
    file.on('error', reject);
    file.on('end', () => req.end(tail));
    file.pipe(req, { end: false });
  });
}

/** Polls until the import's file is stored. */
async function untilStored(imports: BenchImports, id: string): Promise<void> {
  while (!(await imports.get(id)).fileStored) await new Promise((r) => setTimeout(r, 20));
}

/** `app` must run the api role (its url and API key are used). */
export async function timeSuggestion(app: RunningApp, apiKey: string, path: string): Promise<SuggestTimes> {
  const imports = new BenchImports(app.context);
  let t = process.hrtime.bigint();
  const res = await postFile(`${app.url}/imports`, apiKey, path);
  const httpFirstAnswer = seconds(t);
  if (res.status !== 201) throw new Error(`upload refused: ${res.body}`);
  const answered = JSON.parse(res.body) as ImportView;
  t = process.hrtime.bigint();
  await untilStored(imports, answered.id);
  const httpStoredAfter = seconds(t);
  await imports.cancel(answered.id).catch(() => undefined);

  t = process.hrtime.bigint();
  const view = await uploadFile(imports, path);
  const uploadAndSuggest = seconds(t);
  await untilStored(imports, view.id);
  await imports.cancel(view.id).catch(() => undefined);

  const files = app.context.get(FileStore);
  t = process.hrtime.bigint();
  const whole = await files.save('default', createReadStream(path), 'bench.csv', Number.MAX_SAFE_INTEGER);
  const storeWholeFirst = seconds(t);
  await files.delete(whole.fileId);

  const head = Buffer.alloc(256 * 1024);
  const fd = await open(path, 'r');
  await fd.read(head, 0, head.length, 0);
  await fd.close();
  t = process.hrtime.bigint();
  const layout = sniffLayout(head, { utf8Valid: true, truncated: true });
  const columns = suggestMapping(guessType(layout.headers, layout.samples), layout.headers, layout.samples);
  const suggestFromHead = seconds(t);

  t = process.hrtime.bigint();
  const unbounded = Number.MAX_SAFE_INTEGER;
  const probe = await probeFile(path, {
    ...loadConfig({}).limits,
    maxFileBytes: unbounded,
    maxColumns: unbounded,
  });
  suggestFor(probe.layout, undefined);
  const cliProbeAndSuggest = seconds(t);
  return {
    httpFirstAnswer,
    httpStoredAfter,
    uploadAndSuggest,
    storeWholeFirst,
    suggestFromHead,
    cliProbeAndSuggest,
    suggestedColumns: columns.filter((c) => c.field).length,
  };
}
