import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { startApp, RunningApp } from '../../src/app/start';
import { isTerminal } from '../../src/core/lifecycle/import-lifecycle';
import { ImportOperations, TestStartOptions } from './import-operations';
import { UploadStoring } from '../../src/engine/imports/upload-storing';
import type { ImportView } from '../../src/engine/imports/import-view';
import type { RecordType } from '../../src/core/record-type';
import { testMongoUri, testQueuePrefix, testRedisUrl, uniqueName } from './test-env';

export interface Harness {
  app: RunningApp;
  env: NodeJS.ProcessEnv;
  apiKey: string;
  url: string;
  /** The engine's use cases, called as tests call them. */
  imports: ImportOperations;
  workspaceId: string;
  close(): Promise<void>;
}

/** The env of an isolated Intake: its own database, queue prefix and API key. */
export function isolatedEnv(name: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    MONGODB_URI: testMongoUri(uniqueName(name)),
    REDIS_URL: testRedisUrl(),
    INTAKE_QUEUE_PREFIX: testQueuePrefix(),
    INTAKE_API_KEY: `ik_test_${randomBytes(12).toString('hex')}`,
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    INTAKE_ROLES: 'api,worker',
    ...extra,
  };
}

/**
 * A real Intake in this process, on loopback, against the run's real MongoDB-wire server and Redis.
 * `overrides` hands it a clock (or ids) the test controls.
 */
export async function startHarness(
  name: string,
  extra: NodeJS.ProcessEnv = {},
  overrides: Parameters<typeof startApp>[1] = {},
): Promise<Harness> {
  const env = isolatedEnv(name, extra);
  const app = await startApp(env, overrides);
  return {
    app,
    env,
    apiKey: env.INTAKE_API_KEY!,
    url: app.url ?? '',
    imports: new ImportOperations(app.context),
    workspaceId: app.config.defaultWorkspace.id,
    close: () => app.close(),
  };
}

export async function waitForEnd(
  h: Harness,
  id: string,
  timeoutMs = 60_000,
  ws = h.workspaceId,
): Promise<ImportView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await h.imports.get(ws, id);
    if (isTerminal(v.status)) return v;
    if (Date.now() > until) throw new Error(`import ${id} still ${v.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Uploads CSV text through the propose use case, as every door does. */
export function uploadCsv(h: Harness, csv: string | Buffer, type?: RecordType, fileName = 'test.csv') {
  return h.imports.upload(h.workspaceId, Readable.from([Buffer.from(csv)]), {
    fileName,
    type,
    channel: 'api',
  });
}

/** Upload, start with the suggested mapping, wait for the end. */
export async function importCsv(
  h: Harness,
  csv: string | Buffer,
  type: RecordType,
  opts: Pick<TestStartOptions, 'dryRun' | 'onDuplicate' | 'byPerson'> = {},
): Promise<ImportView> {
  const view = await uploadCsv(h, csv, type);
  await h.imports.start(h.workspaceId, view.id, opts);
  return waitForEnd(h, view.id);
}

export async function reportText(h: Harness, id: string): Promise<string> {
  let out = '';
  for await (const line of h.imports.report(h.workspaceId, id)) out += line;
  return out;
}

/**
 * Waits until every upload this process answered is stored (uploads are stored behind their answer),
 * so that counting stored files compares like with like.
 */
export async function uploadsSettled(h: Harness): Promise<void> {
  await h.app.context.get(UploadStoring).settled();
}
