import { Logger } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Readable } from 'node:stream';
import { startApp } from '../../src/app/start';
import { IntakeError } from '../../src/core/intake-error';
import { ImportRowsRepository } from '../../src/engine/imports/import-rows.repository';
import { UploadStoring } from '../../src/engine/imports/upload-storing';
import type { ImportView } from '../../src/engine/imports/import-view';
import { JobQueues } from '../../src/engine/queue/job-queues';
import { ContactRecord } from '../../src/engine/records/record.schema';
import { Import } from '../../src/engine/imports/import.schema';
import { Harness, importCsv, startHarness, uploadCsv, waitForEnd } from '../support/intake-harness';
import { ImportOperations } from '../support/import-operations';
import { testQueuePrefix } from '../support/test-env';

// What the one lifecycle guarantees, against the real MongoDB-wire server and Redis.
let h: Harness;
let records: Model<ContactRecord>;

beforeAll(async () => {
  // Small batches, so a cancel lands while a batch is in flight; a quick sweep for the stuck-import case.
  h = await startHarness('lifecycle', { INTAKE_BATCH_SIZE: '100', INTAKE_SWEEP_MS: '300' });
  records = h.app.context.get(getModelToken(ContactRecord.name));
});
afterAll(() => h.close());
afterEach(() => jest.restoreAllMocks());

function people(n: number, domain: string): string {
  const rows = Array.from({ length: n }, (_, i) => `P${i},p${i}@${domain}`);
  return `First Name,Email\n${rows.join('\n')}\n`;
}

/** Uploads and starts a clients file through another process's use cases. */
async function startThrough(imports: ImportOperations, csv: string): Promise<ImportView> {
  const view = await imports.upload(h.workspaceId, Readable.from([csv]), {
    fileName: 'people.csv',
    type: 'clients',
    channel: 'api',
  });
  return (await imports.start(h.workspaceId, view.id)).import;
}

async function conflictOf(p: Promise<unknown>): Promise<IntakeError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(IntakeError);
  expect((e as IntakeError).code).toBe('conflict');
  return e as IntakeError;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('cancel then rollback removes every record the import created, including the batch in flight', async () => {
  const view = await uploadCsv(h, people(20_000, 'cancel.example.com'), 'clients');
  await h.imports.start(h.workspaceId, view.id);
  await until(
    'a committed batch',
    async () => (await h.imports.get(h.workspaceId, view.id)).committedRow > 0,
  );

  const cancelling = await h.imports.cancel(h.workspaceId, view.id);
  expect(['cancelling', 'cancelled']).toContain(cancelling.status);
  const ended = await waitForEnd(h, view.id);
  expect(ended.status).toBe('cancelled');
  expect(ended.counts.total).toBeLessThan(20_000);
  // Everything written is accounted for: the records on file are exactly the imported count.
  expect(await records.countDocuments({ importId: view.id })).toBe(ended.counts.imported);
  expect(await h.app.context.get(JobQueues).isPending('run-import', view.id)).toBe(false);

  const rolled = await h.imports.rollback(h.workspaceId, view.id);
  expect(rolled.status).toBe('rolled_back');
  expect(rolled.rollback?.deleted).toBe(ended.counts.imported);
  expect(await records.countDocuments({ importId: view.id })).toBe(0);
});

test('rollback and retry of one failed import at the same time never overlap: one is refused, or the retry ends first', async () => {
  const head = 'First Name,Email\nAna,ana@race.example.com\nBea,bea@race.example.com\n';
  const file = Buffer.concat([Buffer.from(head), Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 10, 0, 0, 7])]);
  for (let round = 0; round < 4; round++) {
    await records.deleteMany({});
    const failed = await importCsv(h, file, 'clients');
    expect(failed.status).toBe('failed');
    const [rollback, retry] = await Promise.allSettled([
      h.imports.rollback(h.workspaceId, failed.id),
      h.imports.retry(h.workspaceId, failed.id),
    ]);
    const won = [rollback, retry].filter((r) => r.status === 'fulfilled');
    const lost = [rollback, retry].filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    const end = await waitForEnd(h, failed.id);
    if (won.length === 2) {
      // The retry ran into the same binary tail and failed again before the rollback moved it: both
      // were allowed when they applied, one after the other, and the rollback removed what was written.
      expect(end.status).toBe('rolled_back');
      expect(await records.countDocuments({ importId: failed.id })).toBe(0);
      continue;
    }
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0]!.reason as IntakeError).code).toBe('conflict');
    if (rollback.status === 'fulfilled') {
      expect(end.status).toBe('rolled_back');
      expect(await records.countDocuments({ importId: failed.id })).toBe(0);
    } else {
      expect(end.status).toBe('failed'); // the retry ran into the same binary tail
      expect(await records.countDocuments({ importId: failed.id })).toBe(2);
    }
  }
});

test('a start racing a mapping change never runs an unvalidated mapping', async () => {
  for (let round = 0; round < 8; round++) {
    const view = await uploadCsv(h, people(3, `race${round}.example.com`), 'clients');
    // The change unmaps the required email; the start must either run before it or see it and refuse.
    const [change, start] = await Promise.allSettled([
      h.imports.changeMapping(h.workspaceId, view.id, undefined, { byHeader: { Email: null } }),
      h.imports.start(h.workspaceId, view.id),
    ]);
    const now = await h.imports.get(h.workspaceId, view.id);
    if (start.status === 'fulfilled') {
      expect(change.status).toBe('rejected');
      expect(((change as PromiseRejectedResult).reason as IntakeError).code).toBe('conflict');
      expect(now.columns.find((c) => c.header === 'Email')?.field).toBe('email');
      expect((await waitForEnd(h, view.id)).counts.imported).toBe(3);
    } else {
      expect(change.status).toBe('fulfilled');
      expect(((start as PromiseRejectedResult).reason as IntakeError).code).toBe('missing_required');
      expect(now.status).toBe('awaiting_mapping');
      expect(now.missingRequired).toEqual(['email']);
    }
  }
});

test('a run for real whose clearing of the dry run fails leaves the dry run as it was, to try again', async () => {
  const view = await uploadCsv(h, 'First Name,Email\nAna,ana@dry.example.com\nBad,nope\n', 'clients');
  await h.imports.start(h.workspaceId, view.id, { dryRun: true });
  const dry = await waitForEnd(h, view.id);
  expect(dry).toMatchObject({ status: 'completed', dryRun: true });

  const rows = h.app.context.get(ImportRowsRepository);
  jest.spyOn(rows, 'clear').mockRejectedValueOnce(new Error('too many SQL variables'));
  await expect(h.imports.start(h.workspaceId, view.id)).rejects.toThrow('too many SQL variables');
  const after = await h.imports.get(h.workspaceId, view.id);
  expect(after).toMatchObject({ status: 'completed', dryRun: true, counts: dry.counts });

  await h.imports.start(h.workspaceId, view.id);
  const real = await waitForEnd(h, view.id);
  expect(real).toMatchObject({ status: 'completed', dryRun: false });
  expect(real.counts).toMatchObject({ imported: 1, skipped: 1 });
});

test('an import queued while its job could not be queued is queued by the sweep and runs', async () => {
  const jobs = h.app.context.get(JobQueues);
  const add = jobs.add.bind(jobs);
  jest
    .spyOn(jobs, 'add')
    .mockImplementationOnce(() => Promise.reject(new Error('Connection is closed.')))
    .mockImplementation(add);
  const view = await uploadCsv(h, people(5, 'sweep.example.com'), 'clients');
  const started = await h.imports.start(h.workspaceId, view.id);
  expect(started.import.status).toBe('queued');
  const done = await waitForEnd(h, view.id);
  expect(done).toMatchObject({ status: 'completed', counts: { imported: 5 } });
});

test('a queued import whose job vanished from Redis is queued again by a worker within a sweep or two', async () => {
  // A process without a worker queues the import; its job is then lost (as when Redis restarts empty).
  const env = { ...h.env, INTAKE_QUEUE_PREFIX: testQueuePrefix(), INTAKE_ROLES: 'api' };
  const api = await startApp(env);
  let worker: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    const imports = new ImportOperations(api.context);
    const view = await startThrough(imports, people(4, 'lost.example.com'));
    await api.context.get(UploadStoring).settled(); // its job is added once its file is stored
    await api.context.get(JobQueues).discard('run-import', view.id);
    expect(await api.context.get(JobQueues).isPending('run-import', view.id)).toBe(false);

    worker = await startApp({ ...env, INTAKE_ROLES: 'worker', INTAKE_SWEEP_MS: '300' });
    const done = await until('the import to complete', async () => {
      const v = await imports.get(h.workspaceId, view.id);
      return v.status === 'completed' ? v : null;
    });
    expect(done.counts.imported).toBe(4);
  } finally {
    await worker?.close();
    await api.close();
  }
});

test('a worker handed a job for an import its database does not hold says so loudly', async () => {
  const prefix = testQueuePrefix();
  const api = await startApp({ ...h.env, INTAKE_QUEUE_PREFIX: prefix, INTAKE_ROLES: 'api' });
  const otherDb = await startHarness('lifecycle_other', {
    INTAKE_QUEUE_PREFIX: prefix,
    INTAKE_ROLES: 'worker',
    INTAKE_RETRY_DELAY_MS: '50',
  });
  const errors = jest.spyOn(Logger.prototype, 'error');
  try {
    const imports = new ImportOperations(api.context);
    const view = await startThrough(imports, people(2, 'other.example.com'));
    const said = await until('the loud log line', async () =>
      errors.mock.calls.map((c) => String(c[0])).find((m) => m.includes(view.id)),
    );
    expect(said).toContain('is not in database');
    expect(said).toContain('INTAKE_QUEUE_PREFIX');
    expect((await imports.get(h.workspaceId, view.id)).status).toBe('queued'); // not dropped as done
  } finally {
    await otherDb.close();
    await api.close();
  }
});

test('by default, two setups with two databases on one Redis use two queue prefixes', async () => {
  const { INTAKE_QUEUE_PREFIX: _, ...env } = h.env;
  const a = await startApp({ ...env, INTAKE_ROLES: '' });
  const b = await startApp({
    ...env,
    MONGODB_URI: env.MONGODB_URI!.replace(/\/([^/?]+)(\?|$)/, '/$1_b$2'),
    INTAKE_ROLES: '',
  });
  try {
    expect(a.config.queue.prefix).toMatch(/^intake-lifecycle_/);
    expect(b.config.queue.prefix).toBe(`${a.config.queue.prefix}_b`);
  } finally {
    await a.close();
    await b.close();
  }
});

test('changes apply in the order people made them, however late one is handled', async () => {
  const view = await uploadCsv(h, 'Name,Mail,Company\nAna,ana@order.example.com,Acme\n', 'clients');
  const t = Date.now();
  const at = (ms: number) => new Date(t + ms);
  // Handled in this order; made in the order of their times.
  await h.imports.changeMapping(h.workspaceId, view.id, undefined, { byHeader: { Company: null } }, at(30));
  await h.imports.changeMapping(h.workspaceId, view.id, 'leads', {}, at(10)); // the type, chosen earlier
  await h.imports.changeMapping(
    h.workspaceId,
    view.id,
    undefined,
    { byHeader: { Company: 'company' } },
    at(20),
  );
  const now = await h.imports.get(h.workspaceId, view.id);
  expect(now.type).toBe('leads');
  expect(now.columns.find((c) => c.header === 'Company')?.field).toBeNull(); // the latest choice, at 30
});

test('concurrent column changes are all kept: none overwrites another', async () => {
  const headers = Array.from({ length: 12 }, (_, i) => `Extra ${i}`);
  const csv = `First Name,Email,${headers.join(',')}\nAna,ana@many.example.com,${headers.map(() => 'x').join(',')}\n`;
  const view = await uploadCsv(h, csv, 'clients');
  const fields = [
    'notes',
    'company',
    'jobTitle',
    'website',
    'address',
    'city',
    'state',
    'postalCode',
    'country',
    'phone',
    'lastName',
    'tags',
  ];
  const results: ImportView[] = await Promise.all(
    headers.map((header, i) =>
      h.imports.changeMapping(h.workspaceId, view.id, undefined, { byHeader: { [header]: fields[i]! } }),
    ),
  );
  expect(results).toHaveLength(12);
  const now = await h.imports.get(h.workspaceId, view.id);
  headers.forEach((header, i) => expect(now.columns.find((c) => c.header === header)?.field).toBe(fields[i]));
  expect(now.mappingVersion).toBe(12);
});

test('a refused transition says why, and over HTTP it is a 409', async () => {
  const done = await importCsv(h, people(1, 'refuse.example.com'), 'clients');
  const e = await conflictOf(h.imports.retry(h.workspaceId, done.id));
  expect(e.message).toBe(
    `Cannot retry import ${done.id}: it is completed (only an import that is failed can be).`,
  );
  const res = await fetch(`${h.url}/imports/${done.id}/retry`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.apiKey}` },
  });
  expect(res.status).toBe(409);
  expect(((await res.json()) as { error: { message: string } }).error.message).toBe(e.message);
});

test('an import stored by an earlier release (no mapping version) can still be changed and started', async () => {
  const view = await uploadCsv(h, 'Name,Mail,Org\nAna,ana@old.example.com,Acme\n', 'clients');
  // The writes below bypass the repository's locks: on FerretDB one could undo the end of storing.
  await h.app.context.get(UploadStoring).settled();
  const model = h.app.context.get<Model<Import>>(getModelToken(Import.name));
  await model.updateOne({ _id: view.id }, { $unset: { mappingVersion: '', typeChosenAt: '' } });
  const changed = await h.imports.changeMapping(h.workspaceId, view.id, 'leads', { byHeader: { Org: null } });
  expect(changed).toMatchObject({ type: 'leads', mappingVersion: 1 });
  expect(changed.columns[2]?.field).toBeNull();
  await model.updateOne({ _id: view.id }, { $unset: { mappingVersion: '' } });
  await h.imports.start(h.workspaceId, view.id);
  expect((await waitForEnd(h, view.id)).status).toBe('completed');
});

test('an import a door holds runs once the door lets it go, or by the sweep if the door never does', async () => {
  const held = await uploadCsv(h, people(2, 'held.example.com'), 'clients');
  const started = await h.imports.start(h.workspaceId, held.id, { lineUp: false });
  expect(started.import.status).toBe('queued');
  await h.imports.lineUp(h.workspaceId, held.id);
  expect((await waitForEnd(h, held.id)).counts.imported).toBe(2);

  // The door died between queueing and letting go: the worker's sweep lines it up.
  const forgotten = await uploadCsv(h, people(3, 'forgotten.example.com'), 'clients');
  await h.imports.start(h.workspaceId, forgotten.id, { lineUp: false });
  expect((await waitForEnd(h, forgotten.id)).counts.imported).toBe(3);
});
