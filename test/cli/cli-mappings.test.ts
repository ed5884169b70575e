import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isolatedEnv } from '../support/intake-harness';

const run = promisify(execFile);
const CLI = join(__dirname, '../../dist/src/doors/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'intake-cli-learned-'));
const env = { ...process.env, ...isolatedEnv('cli_learned') };

async function intake(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [CLI, ...args], { env, cwd: dir, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const march = file('march.csv', 'First Name,Email,Kundenhinweis\nAna,ana@example.com,x\n');
const april = file('april.csv', 'First Name,Email,Kundenhinweis\nBo,bo@example.com,y\n');

test('the proposal says which import taught a column; mappings list shows it; mappings forget forgets it', async () => {
  const first = await intake([
    'import',
    march,
    '--type',
    'clients',
    '--yes',
    '--json',
    '-m',
    '{"Kundenhinweis":"notes"}',
  ]);
  expect(first.code).toBe(0);
  const { importId: id } = JSON.parse(first.stdout) as { importId: string };

  // No terminal to ask on: the proposal is shown on stderr and nothing starts.
  const shown = await intake(['import', april, '--type', 'clients']);
  expect(shown.code).toBe(2);
  expect(shown.stderr).toMatch(/Kundenhinweis\s+→\s+Notes/);
  expect(shown.stderr).toContain(
    `learned from march.csv (import ${id}, ${new Date().toISOString().slice(0, 10)}); forget it: intake mappings forget clients "Kundenhinweis"`,
  );

  const listed = await intake(['mappings', 'list', 'clients']);
  expect(listed.code).toBe(0);
  expect(listed.stdout).toContain(`"Kundenhinweis" → Notes, learned from march.csv (import ${id}`);

  const forgot = await intake(['mappings', 'forget', 'clients', 'Kundenhinweis']);
  expect(forgot.code).toBe(0);
  expect(forgot.stdout).toContain(
    'Forgotten in workspace "default": "Kundenhinweis" → Notes, learned from march.csv',
  );

  const afresh = await intake(['import', april, '--type', 'clients']);
  expect(afresh.stderr).toMatch(/Kundenhinweis\s+→\s+— don't import/);
  expect(afresh.stderr).not.toContain('forget clients "Kundenhinweis"');
  const again = await intake(['mappings', 'forget', 'clients', 'Kundenhinweis']);
  expect(again.code).toBe(2);
  expect(again.stderr).toContain('The workspace learned nothing for the clients header "Kundenhinweis".');
});

test('a dry run from the CLI teaches nothing; another workspace cannot forget this one’s learning', async () => {
  const dry = file('dry.csv', 'First Name,Email,Probehinweis\nAna,ana@example.com,x\n');
  expect(
    (
      await intake([
        'import',
        dry,
        '--type',
        'clients',
        '--yes',
        '--dry-run',
        '-m',
        '{"Probehinweis":"notes"}',
      ])
    ).code,
  ).toBe(0);
  expect((await intake(['import', dry, '--type', 'clients'])).stderr).not.toContain(
    'forget clients "Probehinweis"',
  );

  expect(
    (await intake(['import', dry, '--type', 'clients', '--yes', '-m', '{"Probehinweis":"notes"}'])).code,
  ).toBe(0);
  const other = await intake(['-w', 'someone-else', 'mappings', 'forget', 'clients', 'Probehinweis']);
  expect(other.code).toBe(2);
  expect((await intake(['mappings', 'list', 'clients', '--json'])).stdout).toContain(
    '"header":"Probehinweis"',
  );
});
