import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isolatedEnv } from '../support/intake-harness';

const run = promisify(execFile);
const CLI = join(__dirname, '../../dist/src/doors/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'intake-suggest-'));
const env = { ...process.env, ...isolatedEnv('suggest') };

async function suggest(csv: string, ...args: string[]): Promise<string> {
  const path = join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, csv);
  const { stdout } = await run('node', [CLI, 'suggest', path, '--offline', ...args], { env, cwd: dir });
  return stdout;
}

interface Column {
  header: string;
  field: string | null;
  confidence: number;
  reason: string | null;
  warning?: string;
}

const cryptic = [
  'Column1,Column2,Column3,Column4,Phone,Mobile',
  'Ana García,ana@example.com,2024-03-01,Spain,cleo@example.com,+34 612 345 678',
  'Ben Okafor,ben@example.com,2024-03-04,United Kingdom,dan@example.com,+44 7700 900123',
  'Chloé Martin,chloe@example.fr,2024-03-09,France,eve@example.com,+33 6 12 55 01 02',
].join('\n');

test('suggest --json says for each column why: its header, its values or both', async () => {
  const out = JSON.parse(await suggest(cryptic, '--json', '--type', 'clients')) as { columns: Column[] };
  expect(out.columns.map((c) => [c.header, c.field, c.reason])).toEqual([
    ['Column1', 'fullName', 'values'],
    ['Column2', 'email', 'values'],
    ['Column3', null, null],
    ['Column4', 'country', 'values'],
    ['Phone', null, null],
    ['Mobile', 'phone', 'header+values'],
  ]);
  for (const c of out.columns.filter((x) => x.reason === 'values')) expect(c.confidence).toBeLessThan(0.9);
});

test('suggest --json warns about a header its values contradict and trusts it little', async () => {
  const csv = 'Name,Phone\nAna García,ana@example.com\nBen Okafor,ben@example.com\n';
  const out = JSON.parse(await suggest(csv, '--json', '--type', 'clients')) as { columns: Column[] };
  const phone = out.columns[1];
  expect(phone).toMatchObject({ field: 'phone', reason: 'header' });
  expect(phone?.confidence).toBeLessThan(0.6);
  expect(phone?.warning).toBe('The column "Phone" holds e-mail addresses, not Phone values: check it.');
  expect(out.columns[0]).not.toHaveProperty('warning');
});

test('suggest guesses the type from the whole file', async () => {
  const form = 'First name,Email,How did you hear about us?\nPriya,priya@example.com,LinkedIn\n';
  expect(JSON.parse(await suggest(form, '--json'))).toMatchObject({ type: 'leads' });
});

test('suggest without --json prints the reason and the warning beside the column', async () => {
  const text = await suggest(
    'Name,Phone\nAna García,ana@example.com\nBen Okafor,ben@example.com\n',
    '--type',
    'clients',
  );
  expect(text).toMatch(/Phone\s+→\s+Phone \(phone\)\s+40%\s+\(header\)/);
  expect(text).toContain('! The column "Phone" holds e-mail addresses, not Phone values: check it.');
});
