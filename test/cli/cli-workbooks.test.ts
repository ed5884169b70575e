import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isolatedEnv } from '../support/intake-harness';
import { twoSheetBook } from '../support/workbooks';

const run = promisify(execFile);
const CLI = join(__dirname, '../../dist/src/doors/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'intake-cli-xlsx-'));
const env = { ...process.env, ...isolatedEnv('cli-xlsx') };

async function intake(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [CLI, ...args], { env, cwd: dir, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

async function bookFile(name: string): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, await twoSheetBook());
  return path;
}

test('suggest reads a workbook, lists its sheets and takes --sheet by number', async () => {
  const path = await bookFile('contacts.xlsx');
  const first = JSON.parse((await intake(['suggest', path, '--json', '--offline'])).stdout);
  expect(first).toMatchObject({ sheet: 'Leads', sheets: ['Leads', 'Clients'] });
  const { code, stdout } = await intake(['suggest', path, '--sheet', '2', '--offline']);
  expect(code).toBe(0);
  expect(stdout).toContain('Sheet: Clients   (other sheets: Leads; choose with --sheet NAME|N)');
  expect(stdout).toMatch(/Phone\s+→\s+Phone \(phone\)/);
});

test('import --sheet imports that sheet; the report names it and numbers rows as the sheet', async () => {
  const path = await bookFile('export.xlsm');
  const args = ['import', path, '--type', 'clients', '--sheet', 'clients', '--yes', '--json'];
  const { code, stdout } = await intake(args);
  expect(code).toBe(0);
  const out = JSON.parse(stdout);
  expect(out).toMatchObject({ status: 'completed', counts: { total: 3, imported: 2, skipped: 1 } });
  const report = readFileSync(out.report, 'utf8');
  expect(report).toContain('row (sheet: Clients),reason');
  expect(report).toMatch(/\n6,.*Cy,not-an-email/);
}, 120_000);

test('an unknown sheet is refused with the sheets named', async () => {
  const path = await bookFile('named.xlsx');
  const { code, stdout } = await intake([
    'import',
    path,
    '--type',
    'clients',
    '--sheet',
    'Deals',
    '--yes',
    '--json',
  ]);
  expect(code).toBe(2);
  expect(JSON.parse(stdout).error).toMatchObject({
    code: 'unknown_sheet',
    message: expect.stringContaining('"Leads", "Clients"'),
  });
});
