import { ImportReport } from '../../../src/engine/use-cases/report/use-case';
import { Harness, importCsv, startHarness } from '../../support/intake-harness';
import { on, refusal } from './use-case-world';

let h: Harness;
let useCase: ImportReport;

beforeAll(async () => {
  h = await startHarness('uc_report');
  useCase = h.app.context.get(ImportReport);
});
afterAll(() => h.close());

async function text(lines: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const line of lines) out += line;
  return out;
}

test('a command asking for no reasons at all is refused, as is a report of no import', async () => {
  const e = await refusal(useCase.topReasons({ ...on(h, { id: 'x' }), top: 0 }));
  expect(e.message).toMatch(/^Cannot count the reasons: top: /);
  const lines = await refusal(text(useCase.lines({ ...on(h, { id: 'x' }), importId: '' })));
  expect(lines.message).toBe('Cannot read the report: importId: names no import.');
});

test('the report lists each row to look at with its reason, and the top reasons add up', async () => {
  const csv = 'First Name,Email\nAna,ana@report.example.com\nBo,not-an-email\nCy,\n';
  const done = await importCsv(h, csv, 'clients');
  expect(done.counts.skipped).toBe(2);
  const report = await text(useCase.lines(on(h, done)));
  expect(report.split('\n')[0]).toMatch(/^row,reason,outcome,/);
  expect(report).toContain('not-an-email');
  const reasons = await useCase.topReasons(on(h, done));
  expect(reasons.sampled).toBe(false);
  expect(reasons.skipped.reduce((n, r) => n + r.rows, 0)).toBe(2);
});
