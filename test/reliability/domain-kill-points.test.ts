import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { CompanyDomain } from '../../src/engine/records/company-domain.schema';
import { ContactRecord } from '../../src/engine/records/record.schema';
import { Harness, startHarness, uploadCsv } from '../support/intake-harness';
import { FAST_RECOVERY, killAll, startWorker, waitForEnd, waitUntil, Worker } from './fault-support';

/**
 * kill -9 of the worker while a company import claims website domains: each domain must end up held by
 * exactly one company that exists, and the counts must be those of an uninterrupted run.
 */
const EXISTING = 500;
const ROWS = 4_000;
const KILL_AT = [1_000, 2_000, 3_000];

let h: Harness;
const workers: Worker[] = [];

beforeAll(async () => {
  h = await startHarness('domain_kills', { INTAKE_ROLES: 'api', INTAKE_BATCH_SIZE: '200', ...FAST_RECOVERY });
});
afterAll(async () => {
  killAll(workers);
  await h.close();
});

/** Row i of the file (file row i + 2), and what an uninterrupted import does with it. */
function row(i: number): { line: string; outcome: 'imported' | 'exists' | 'duplicate' } {
  // Every fourth row names an existing company's domain under another name.
  if (i % 4 === 0 && i / 4 < EXISTING)
    return { line: `"FIRM ${i / 4}, Ltd.",www.firm${i / 4}.net`, outcome: 'exists' };
  // Every tenth row repeats the domain of a new company two rows up, under another name.
  if (i % 10 === 9) return { line: `Again ${i},https://newco${i - 2}.org/about`, outcome: 'duplicate' };
  return { line: `New Co ${i},newco${i}.org`, outcome: 'imported' };
}

test(`kill -9 three times during a ${ROWS}-row company import that matches by domain`, async () => {
  const claims = h.app.context.get<Model<CompanyDomain>>(getModelToken(CompanyDomain.name));
  const records = h.app.context.get<Model<ContactRecord>>(getModelToken(ContactRecord.name));
  workers.push(startWorker(h.env));
  const seed = await uploadCsv(
    h,
    ['Company Name,Website', ...Array.from({ length: EXISTING }, (_, i) => `Firm ${i},firm${i}.net`)].join(
      '\n',
    ),
    'companies',
  );
  await h.imports.start(h.workspaceId, seed.id);
  expect((await waitForEnd(h, seed.id)).counts.imported).toBe(EXISTING);

  const rows = Array.from({ length: ROWS }, (_, i) => row(i));
  const view = await uploadCsv(
    h,
    ['Company Name,Website', ...rows.map((r) => r.line)].join('\n'),
    'companies',
  );
  await h.imports.start(h.workspaceId, view.id);
  for (const at of KILL_AT) {
    const now = await waitUntil(h, view.id, (v) => v.committedRow >= at || v.status !== 'running', 240_000);
    if (now.status === 'completed') break;
    workers.at(-1)!.child.kill('SIGKILL');
    workers.push(startWorker(h.env));
  }
  let done = await waitForEnd(h, view.id);
  if (done.status === 'failed' && done.error?.code === 'worker_failed') {
    await h.imports.retry(h.workspaceId, view.id);
    done = await waitForEnd(h, view.id);
  }
  const count = (o: string) => rows.filter((r) => r.outcome === o).length;
  expect(done.status).toBe('completed');
  expect(done.counts).toMatchObject({
    total: ROWS,
    imported: count('imported'),
    skipped: count('exists') + count('duplicate'),
  });
  const companies = await records.countDocuments({ workspaceId: h.workspaceId, type: 'companies' });
  expect(companies).toBe(EXISTING + count('imported'));
  // One claim per company, each naming a company that exists.
  expect(await claims.countDocuments({ workspaceId: h.workspaceId })).toBe(companies);
  const keys = new Set(
    (await records.find({ workspaceId: h.workspaceId, type: 'companies' }, { key: 1 }).lean()).map(
      (c) => c.key,
    ),
  );
  const dangling = (await claims.find({ workspaceId: h.workspaceId }).lean()).filter(
    (c) => !keys.has(c.companyKey),
  );
  expect(dangling).toEqual([]);
}, 600_000);
