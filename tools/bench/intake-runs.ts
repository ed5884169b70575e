import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Connection } from 'mongoose';
import { getConnectionToken } from '@nestjs/mongoose';
import { RunningApp, startApp } from '../../src/app/start';
import { loadConfig } from '../../src/config/app-config';
import { guessType, suggestMapping } from '../../src/core/mapping/mapping-suggester';
import { sniffLayout } from '../../src/core/parse/file-sniffer';
import { probeFile, suggestFor } from '../../src/doors/cli/file-probe';
import { isTerminal } from '../../src/core/lifecycle/import-lifecycle';
import { ImportService } from '../../src/engine/imports/import.service';
import type { ImportView } from '../../src/engine/imports/import-view';
import { startWorker, WorkerProcess } from './worker-process';

/** Intake's own runs for the benchmark: imports through real worker processes, and the suggestion. */

export interface ImportRun {
  seconds: number;
  view: ImportView;
}

/** An uploading, watching Intake with no roles of its own, on a database of its own. */
export async function startWatcher(
  env: NodeJS.ProcessEnv,
): Promise<{ app: RunningApp; imports: ImportService }> {
  const app = await startApp({ ...env, INTAKE_ROLES: '' });
  return { app, imports: app.context.get(ImportService) };
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

export async function uploadFile(imports: ImportService, path: string): Promise<ImportView> {
  return imports.upload('default', createReadStream(path), {
    fileName: 'bench.csv',
    type: 'clients',
    channel: 'cli',
  });
}

/** Starts the uploaded imports together and waits for all; seconds = first start to last end. */
export async function runImports(
  imports: ImportService,
  views: readonly ImportView[],
  opts: { dryRun?: boolean; onDuplicate?: 'skip' | 'update'; onSample?: () => void } = {},
): Promise<ImportRun[]> {
  const t = process.hrtime.bigint();
  const start = {
    dryRun: opts.dryRun ?? false,
    ...(opts.onDuplicate ? { onDuplicate: opts.onDuplicate } : {}),
  };
  await Promise.all(views.map((v) => imports.start('default', v.id, start)));
  const done = new Map<string, ImportRun>();
  while (done.size < views.length) {
    await new Promise((r) => setTimeout(r, 200));
    opts.onSample?.();
    for (const v of views) {
      if (done.has(v.id)) continue;
      const now = await imports.get('default', v.id);
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
  /** ImportService.upload: the whole file into GridFS, then sniff + suggest on the head kept on the way. */
  uploadAndSuggest: number;
  /** The suggestion step of that upload alone: sniff + guess type + suggest on the 256 kB head. */
  suggestFromHead: number;
  /** The CLI's suggestion on a local file: read it all (UTF-8 check, head kept), sniff, suggest. */
  cliProbeAndSuggest: number;
  suggestedColumns: number;
}

const seconds = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e9;

export async function timeSuggestion(imports: ImportService, path: string): Promise<SuggestTimes> {
  let t = process.hrtime.bigint();
  const view = await uploadFile(imports, path);
  const uploadAndSuggest = seconds(t);
  await imports.cancel('default', view.id).catch(() => undefined);

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
    uploadAndSuggest,
    suggestFromHead,
    cliProbeAndSuggest,
    suggestedColumns: columns.filter((c) => c.field).length,
  };
}
