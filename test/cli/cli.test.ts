import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { mongo } from 'mongoose';
import { RunningApp, startApp } from '../../src/app/start';
import { sampleTemplate } from '../../src/core/template/sample-template';
import { isolatedEnv } from '../support/intake-harness';

const run = promisify(execFile);
const CLI = join(__dirname, '../../dist/src/doors/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'intake-cli-'));
const env = { ...process.env, ...isolatedEnv('cli') };

async function intake(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [CLI, ...args], { env, cwd: dir, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const people = file(
  'people.csv',
  'First Name,Last Name,E-Mail,Mobile #\nAna,García,ana@example.com,+34 612 345 678\nBob,Stone,bob@example,\nAna,Again,ana@example.com,\n',
);

test('template writes the sample CSV of a type', async () => {
  const out = join(dir, 'leads.csv');
  expect((await intake(['template', 'leads', '-o', out])).code).toBe(0);
  expect(readFileSync(out, 'utf8')).toBe(sampleTemplate('leads'));
  expect((await intake(['template', 'companies'])).stdout).toBe(sampleTemplate('companies'));
});

test('suggest --json prints the contract object', async () => {
  const { code, stdout } = await intake(['suggest', people, '--json', '--offline']);
  expect(code).toBe(0);
  const out = JSON.parse(stdout);
  expect(Object.keys(out)).toEqual(['type', 'encoding', 'delimiter', 'columns', 'missingRequired']);
  expect(out).toMatchObject({ type: 'clients', encoding: 'utf-8', delimiter: ',', missingRequired: [] });
  expect(out.columns[0]).toEqual({
    index: 0,
    header: 'First Name',
    field: 'firstName',
    confidence: expect.any(Number),
    reason: 'header',
  });
  expect(out.columns.map((c: { field: string }) => c.field)).toEqual([
    'firstName',
    'lastName',
    'email',
    'phone',
  ]);
});

test('suggest detects a semicolon-delimited Windows-1252 file', async () => {
  const latin = file(
    'latin.csv',
    Buffer.from('Vorname;Nachname;E-Mail\nJürgen;Müller;j@example.de\n', 'latin1'),
  );
  const out = JSON.parse((await intake(['suggest', latin, '--json', '--offline'])).stdout);
  expect(out).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
  expect(out.columns.map((c: { field: string }) => c.field)).toEqual(['firstName', 'lastName', 'email']);
});

test('import --yes --json runs through the queue and prints the summary with the report path', async () => {
  const { code, stdout, stderr } = await intake(['import', people, '--type', 'clients', '--yes', '--json']);
  expect(stderr).toContain('Import started. Records will appear in the system shortly.');
  expect(code).toBe(0);
  const out = JSON.parse(stdout);
  expect(out).toMatchObject({
    status: 'completed',
    counts: { total: 3, imported: 1, updated: 0, unchanged: 0, skipped: 2, flagged: 0 },
  });
  expect(readFileSync(out.report, 'utf8')).toContain('4,duplicate of row 2,skipped,Ana,Again');

  const status = JSON.parse((await intake(['status', out.importId, '--json'])).stdout);
  expect(status).toMatchObject({ id: out.importId, status: 'completed' });

  const rolled = await intake(['rollback', out.importId]);
  expect(rolled.code).toBe(0);
  expect(rolled.stdout).toContain('1 records deleted');
});

test('rows imported with a warning are named: the report lists them, the summary gives the top reasons', async () => {
  const warned = file('warned.csv', 'First Name,Email,Phone\nDia,dia@example.com,call me\nEd,ed@example,\n');
  const report = join(dirname(warned), 'warned-report.csv');
  const { code, stdout } = await intake(['import', warned, '--type', 'clients', '--yes', '--report', report]);
  expect(code).toBe(0);
  expect(stdout).toContain('skipped: invalid email (1)');
  expect(stdout).toContain('flagged (imported with a warning): phone could not be parsed (1)');
  expect(readFileSync(report, 'utf8')).toBe(
    'row,reason,outcome,First Name,Email,Phone\n' +
      '2,"phone ""call me"" could not be parsed",imported with warning,Dia,dia@example.com,call me\n' +
      '3,"invalid email ""ed@example""",skipped,Ed,ed@example,\n',
  );
});

test('--mapping, --dry-run and --on-duplicate update work together', async () => {
  const custom = file('custom.csv', 'Given,Mail,Notes\nCleo,cleo@example.com,first\n');
  const first = JSON.parse(
    (
      await intake([
        'import',
        custom,
        '--type',
        'clients',
        '--mapping',
        '{"Given":"firstName","Mail":"email"}',
        '--yes',
        '--json',
      ])
    ).stdout,
  );
  expect(first.counts).toMatchObject({ imported: 1 });
  const again = file('again.csv', 'Given,Mail,Notes\nCleo,cleo@example.com,second\n');
  const dry = JSON.parse(
    (
      await intake([
        'import',
        again,
        '--type',
        'clients',
        '--on-duplicate',
        'update',
        '--dry-run',
        '--yes',
        '--json',
      ])
    ).stdout,
  );
  expect(dry).toMatchObject({
    status: 'completed',
    counts: { total: 1, imported: 0, updated: 1, skipped: 0 },
    report: null,
  });
  const fill = JSON.parse(
    (await intake(['import', again, '--type', 'clients', '--on-duplicate', 'fill', '--yes', '--json']))
      .stdout,
  );
  // Notes already hold "first": fill leaves them, and the first name is the same.
  expect(fill.counts).toMatchObject({ total: 1, imported: 0, updated: 0, unchanged: 1, skipped: 0 });
  const bad = await intake([
    'import',
    again,
    '--type',
    'clients',
    '--on-duplicate',
    'merge',
    '--yes',
    '--json',
  ]);
  expect(bad.code).toBe(2);
  expect(bad.stdout).toContain('skip, update or fill');
});

test('--mapping keeps a column as a custom field on the record', async () => {
  const csv = file('birthdays.csv', 'First Name,Email,Birthday\nUma,uma@example.com,1975-05-05\n');
  const args = ['import', csv, '--type', 'clients', '--mapping', '{"Birthday":"custom"}', '--yes'];
  expect((await intake(args)).code).toBe(0);
  const client = new mongo.MongoClient(env.MONGODB_URI!);
  try {
    const rec = await client.db().collection('records').findOne({ key: 'uma@example.com' });
    expect(rec?.custom).toEqual({ birthday: '1975-05-05' });
  } finally {
    await client.close();
  }
});

test('--no-link-companies imports clients without linking or creating companies', async () => {
  const csv = file('co.csv', 'First Name,Email,Company\nNia,nia@example.com,Clico\n');
  const out = JSON.parse(
    (await intake(['import', csv, '--type', 'clients', '--no-link-companies', '--yes', '--json'])).stdout,
  );
  expect(out.counts).toMatchObject({ imported: 1 });
  expect(out.counts.companiesCreated ?? 0).toBe(0);
  const linked = file('co2.csv', 'First Name,Email,Company\nOla,ola@example.com,Clico\n');
  const second = JSON.parse(
    (await intake(['import', linked, '--type', 'clients', '--yes', '--json'])).stdout,
  );
  expect(second.counts).toMatchObject({ imported: 1, companiesCreated: 1, companiesLinked: 1 });
});

test('a rejected file prints the rejected object and exits 2', async () => {
  const empty = file('empty.csv', '');
  const { code, stdout } = await intake(['import', empty, '--type', 'clients', '--yes', '--json']);
  expect(code).toBe(2);
  expect(JSON.parse(stdout)).toEqual({
    status: 'rejected',
    error: { code: 'empty_file', message: expect.stringMatching(/template/) },
  });
});

test('an unmappable required field is a rejection too', async () => {
  const noEmail = file('noemail.csv', 'First Name,Phone\nAna,1\n');
  const { code, stdout } = await intake(['import', noEmail, '--type', 'clients', '--yes', '--json']);
  expect(code).toBe(2);
  expect(JSON.parse(stdout).error.code).toBe('missing_required');
});

test('workspace commands create a workspace and issue a key', async () => {
  expect((await intake(['workspace', 'create', 'acme-sales'])).code).toBe(0);
  const key = await intake(['workspace', 'key-create', 'acme-sales']);
  expect(key.stdout).toMatch(/ik_[A-Za-z0-9_-]{20,}/);
  const list = JSON.parse((await intake(['workspace', 'list', '--json'])).stdout);
  expect(list.map((w: { id: string }) => w.id)).toEqual(expect.arrayContaining(['default', 'acme-sales']));
});

test('workspace list reads workspaces written before some settings existed', async () => {
  const client = new mongo.MongoClient(env.MONGODB_URI!);
  try {
    await client
      .db()
      .collection('workspaces')
      .insertOne({ _id: 'old-ws', name: 'old' } as never);
  } finally {
    await client.close();
  }
  const text = await intake(['workspace', 'list']);
  expect(text.code).toBe(0);
  expect(text.stdout).toContain('old-ws  old  keys: -  senders: -  slack: -');
  const list = JSON.parse((await intake(['workspace', 'list', '--json'])).stdout);
  expect(list.find((w: { id: string }) => w.id === 'old-ws')).toMatchObject({
    allowedSenders: [],
    slackTeamIds: [],
    slackConfirm: 'team',
    slackAnswerNonTables: true,
  });
});

test('without a terminal, import shows the mapping it would start and how to confirm or correct it', async () => {
  const { code, stderr } = await intake(['import', people, '--type', 'clients']);
  expect(code).toBe(2);
  expect(stderr).toMatch(/Mobile #\s+→\s+Phone \(phone\)/);
  expect(stderr).toContain('Confirm the mapping with --yes (there is no terminal to ask on)');
});

test('a missing required field is refused before anyone is asked, with the --mapping that fixes it', async () => {
  const noEmail = file('no-email.csv', 'First Name,Contact\nEve,eve@example.com\n');
  const { code, stdout } = await intake([
    'import',
    noEmail,
    '--type',
    'clients',
    '--mapping',
    '{"Contact": null}',
    '--json',
  ]);
  expect(code).toBe(2);
  const out = JSON.parse(stdout);
  expect(out.error.code).toBe('missing_required');
  expect(out.error.message).toContain(`with --mapping '{"<column>": "email"}'`);
});

test('import --no-worker says it is queued, follows the import when a worker takes it, and ends', async () => {
  const waiting = file('waiting.csv', 'First Name,Email\nDee,dee@waiting.example.com\n');
  const child = spawn(
    'node',
    [CLI, 'import', waiting, '--type', 'clients', '--yes', '--json', '--no-worker'],
    {
      env,
      cwd: dir,
    },
  );
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let worker: RunningApp | undefined;
  try {
    const until = Date.now() + 30_000;
    // "Queued: storing the file first…" while its file goes into the database, else "waiting for a worker".
    while (!stderr.includes('Queued: ')) {
      if (Date.now() > until) throw new Error(`no queued line; stderr: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    worker = await startApp({ ...env, INTAKE_ROLES: 'worker' });
    expect(await exited).toBe(0);
  } finally {
    child.kill();
    await worker?.close();
  }
  expect(JSON.parse(stdout)).toMatchObject({ status: 'completed', counts: { imported: 1 } });
  expect(stderr).toMatch(/Queued: (storing the file first|waiting for a worker)…/);
  expect(stderr.indexOf('Queued: ')).toBeLessThan(stderr.indexOf('Running…'));
});

test('a dry run speaks as one and names its next steps; intake start runs it for real, and the summary offers undo', async () => {
  const file2 = file('dry.csv', 'First Name,Email\nDora,dora.dry@example.com\nDan,dan.dry@example\n');
  const dry = await intake(['import', file2, '--type', 'clients', '--dry-run', '--yes', '--json']);
  expect(dry.stderr).toContain('Dry run started');
  expect(dry.stderr).not.toContain('Import started');
  const out = JSON.parse(dry.stdout);
  expect(out.next).toEqual([
    { kind: 'run_for_real', label: 'Run it for real', command: `intake start ${out.importId}` },
    {
      kind: 'download_report',
      label: 'Download the report',
      command: `intake report ${out.importId} --out skipped-rows.csv`,
    },
  ]);
  const human = await intake(['status', out.importId]);
  expect(human.stdout).toContain('would import 1');
  expect(human.stdout).toMatch(/Next:\n {2}Run it for real +intake start imp_/);

  const real = await intake(['start', out.importId, '--json']);
  expect(real.code).toBe(0);
  expect(real.stderr).toContain('Import started. Records will appear in the system shortly.');
  const ran = JSON.parse(real.stdout);
  expect(ran).toMatchObject({ id: out.importId, status: 'completed', dryRun: false });
  expect(ran.next.map((n: { kind: string }) => n.kind)).toEqual(['undo', 'download_report']);
  const report = join(dir, 'dry-report.csv');
  expect((await intake(['report', out.importId, '--out', report])).code).toBe(0);
  expect(readFileSync(report, 'utf8')).toContain('dan.dry@example');
  expect((await intake(['rollback', out.importId])).stdout).toContain('1 records deleted');
});
