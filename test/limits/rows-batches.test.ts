import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ImportsRepository } from '../../src/engine/imports/imports.repository';
import { ContactRecord } from '../../src/engine/records/record.schema';
import { CUT_MARK } from '../../src/core/report/report-cells';
import { Harness, importCsv, reportText, startHarness } from '../support/intake-harness';

/**
 * Batches are bounded by size as well as by rows, and the report keeps only the start of long values:
 * through the real import engine, the real database and the real queue.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness('limits_batches', {
    INTAKE_BATCH_SIZE: '1000',
    INTAKE_BATCH_MAX_BYTES: String(64 * 1024),
  });
});
afterAll(() => h?.close());

const NOTE = 20_000;

function longNotes(rows: number, tag: string): string {
  const lines = ['First Name,Last Name,Email,Phone,Notes'];
  for (let i = 0; i < rows; i++) {
    // Every third row has a phone that cannot be read: flagged, so it lands in the report.
    const phone = i % 3 === 0 ? 'call me' : '';
    lines.push(`P${i},Long,p${i}@${tag}.example.com,${phone},${String(i % 10).repeat(NOTE)}`);
  }
  return `${lines.join('\n')}\n`;
}

test('rows of long values are written in several batches, not one, and keep their whole values', async () => {
  const checkpoint = jest.spyOn(h.app.context.get(ImportsRepository), 'checkpoint');
  try {
    const done = await importCsv(h, longNotes(40, 'batches'), 'clients');
    expect(done.status).toBe('completed');
    expect(done.counts).toMatchObject({ total: 40, imported: 40, flagged: 14 });
    // About 22 KB a row against a 64 KiB budget: a batch every three rows, well below the 1,000-row size.
    const batches = checkpoint.mock.calls.filter((c) => c[1] === done.id).length;
    expect(batches).toBeGreaterThanOrEqual(10);
    const records = h.app.context.get<Model<ContactRecord>>(getModelToken(ContactRecord.name));
    const one = await records.findOne({ importId: done.id, sourceRow: 2 }).lean();
    expect(String(one?.fields.notes)).toHaveLength(NOTE);
  } finally {
    checkpoint.mockRestore();
  }
});

test('the report keeps the start of long values and reasons, and marks the cut', async () => {
  const csv = [
    'First Name,Last Name,Email,Notes',
    `Ana,Long,not-an-email-${'x'.repeat(30_000)},${'0'.repeat(NOTE)}`,
    'Bo,Short,bo@report.example.com,short',
  ].join('\n');
  const done = await importCsv(h, csv, 'clients');
  expect(done.counts).toMatchObject({ total: 2, imported: 1, skipped: 1 });
  const lines = (await reportText(h, done.id)).trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatch(/^2,"?invalid email ""not-an-email-x+…\[cut\]/);
  expect(lines[1]).toContain(`${'0'.repeat(2048)}${CUT_MARK}`);
  expect(lines[1]!.length).toBeLessThan(16 * 1024 + 3 * 2048 + 200);
});
