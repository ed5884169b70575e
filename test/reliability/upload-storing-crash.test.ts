import { getConnectionToken } from '@nestjs/mongoose';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection, mongo } from 'mongoose';
import { findFreePort } from '../../tools/infra/free-port';
import { ImportsRepository } from '../../src/engine/imports/imports.repository';
import type { ImportView } from '../../src/engine/imports/import-view';
import { Harness, startHarness } from '../support/intake-harness';
import { eventually } from '../support/eventually';
import { FAST_RECOVERY, killAll, startWorker, waitUntil, Worker } from './fault-support';

/**
 * FAULT: the API process that answered an upload is killed (kill -9) while it stores the file in the
 * database behind its answer, after the person already started the import. Nothing may hang: a worker
 * finds the import whose storing stopped, fails it with a reason that says to send the file again,
 * leaves no part of the file in the database, and refuses a retry with the same reason.
 */
const ROWS = 3000;
const BLOB = 'y'.repeat(20_000);

let h: Harness;
let spool: string;
const processes: Worker[] = [];

beforeAll(async () => {
  spool = await mkdtemp(join(tmpdir(), 'intake-spool-crash-'));
  // This process only sweeps (the worker role); the upload goes to an API process of its own.
  h = await startHarness('upload_crash', {
    INTAKE_ROLES: 'worker',
    INTAKE_SWEEP_MS: '500',
    ...FAST_RECOVERY,
  });
});
afterAll(async () => {
  killAll(processes);
  await h.close();
  await rm(spool, { recursive: true, force: true });
});

async function startApi(): Promise<{ base: string; api: Worker }> {
  const port = await findFreePort();
  const api = startWorker(h.env, { INTAKE_ROLES: 'api', HTTP_PORT: String(port), INTAKE_SPOOL_DIR: spool });
  processes.push(api);
  const base = `http://127.0.0.1:${port}`;
  await eventually(async () => (await fetch(`${base}/health`).catch(() => null))?.ok === true, 60_000);
  return { base, api };
}

function call(base: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${h.apiKey}`);
  return fetch(`${base}${path}`, { ...init, headers });
}

function bigForm(): { form: FormData; bytes: number } {
  const lines = ['First Name,Email,Blob'];
  for (let i = 1; i <= ROWS; i++) lines.push(`Ana${i},ana${i}@crash.example.com,${BLOB}`);
  const text = `${lines.join('\n')}\n`;
  const form = new FormData();
  form.append('type', 'clients');
  form.append('file', new Blob([text]), 'big.csv');
  return { form, bytes: Buffer.byteLength(text) };
}

test('an API process stopped (SIGTERM) right after answering finishes storing the file before it exits', async () => {
  const { base, api } = await startApi();
  const { form, bytes } = bigForm();
  const answer = await call(base, '/imports', { method: 'POST', body: form });
  expect(answer.status).toBe(201);
  const view = (await answer.json()) as ImportView;
  expect(view.fileStored).toBe(false);
  const exited = new Promise<{ code: number | null; signal: string | null }>((ok) =>
    api.child.once('exit', (code, signal) => ok({ code, signal })),
  );
  api.child.kill('SIGTERM');
  // Nest closes the app on the signal, then lets the signal end the process.
  expect(await exited).toEqual({ code: null, signal: 'SIGTERM' });

  const after = await h.imports.get(h.workspaceId, view.id);
  expect(after).toMatchObject({ status: 'awaiting_mapping', fileStored: true });
  const imp = await h.app.context.get(ImportsRepository).get(h.workspaceId, view.id);
  const db = h.app.context.get<Connection>(getConnectionToken()).db as unknown as mongo.Db;
  const file = await db.collection('uploads.files').findOne({ _id: new mongo.ObjectId(imp.fileId) });
  expect(file?.length).toBe(bytes);
}, 180_000);

test('an API process killed while storing an upload it answered: the import fails with a reason, nothing is left', async () => {
  const { base, api } = await startApi();
  const { form } = bigForm();
  const answer = await call(base, '/imports', { method: 'POST', body: form });
  expect(answer.status).toBe(201);
  const view = (await answer.json()) as ImportView;
  expect(view.fileStored).toBe(false);
  const start = await call(base, `/imports/${view.id}/start`, { method: 'POST' });
  expect(start.status).toBeLessThan(300);
  api.child.kill('SIGKILL');

  // Killed within milliseconds of its answer, while 60 MB were still on their way into the database.
  const ended = await waitUntil(h, view.id, (v) => v.status === 'failed', 90_000);
  expect(ended.error?.code).toBe('file_not_stored');
  expect(ended.error?.message).toBe(
    'The file could not be stored (the process storing it stopped), so nothing was imported. Send it again.',
  );
  expect(ended.counts.total).toBe(0);

  const imp = await h.app.context.get(ImportsRepository).get(h.workspaceId, view.id);
  const db = h.app.context.get<Connection>(getConnectionToken()).db as unknown as mongo.Db;
  const id = new mongo.ObjectId(imp.fileId);
  await eventually(
    async () => (await db.collection('uploads.chunks').countDocuments({ files_id: id })) === 0,
    30_000,
  );
  expect(await db.collection('uploads.files').countDocuments({ _id: id })).toBe(0);

  await expect(h.imports.retry(h.workspaceId, view.id)).rejects.toMatchObject({
    code: 'conflict',
    message: `Import ${view.id} has no file: ${ended.error?.message}`,
  });
}, 180_000);
