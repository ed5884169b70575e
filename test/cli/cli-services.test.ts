import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isolatedEnv } from '../support/intake-harness';

// The CLI run from a folder outside the project, as a person would after `npm link`: it finds its
// database through a services file upward, or through MONGODB_URI and REDIS_URL, or refuses.
const run = promisify(execFile);
const CLI = join(__dirname, '../../dist/src/doors/cli/main.js');
const outside = mkdtempSync(join(tmpdir(), 'intake-cli-outside-'));
const pointed = isolatedEnv('cli_services');
const mongoUri = pointed.MONGODB_URI!;
const redisUrl = pointed.REDIS_URL!;

/** The test's environment without any address of a database, Redis or services file. */
function unpointedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...pointed };
  delete env.MONGODB_URI;
  delete env.REDIS_URL;
  delete env.INTAKE_SERVICES_FILE;
  return env;
}

async function intake(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = unpointedEnv(),
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [CLI, ...args], { env, cwd, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const people = join(outside, 'people.csv');
writeFileSync(people, 'First Name,Email\nAna,ana@outside.example.com\n');

/** `mongodb://host:port/db` of the test's database: what a summary must name, credentials never. */
const { host, pathname } = new URL(mongoUri);
const location = `mongodb://${host}${pathname}`;

test('outside the project with nothing set, import refuses with the JSON error and says how to point it', async () => {
  const { code, stdout } = await intake(['import', people, '--type', 'clients', '--yes', '--json'], outside);
  expect(code).toBe(2);
  const out = JSON.parse(stdout);
  expect(out).toEqual({ status: 'rejected', error: { code: 'not_configured', message: expect.any(String) } });
  expect(out.error.message).toContain(
    `no .intake/services.json was found in ${outside} or any folder above it`,
  );
  expect(out.error.message).toContain('set MONGODB_URI and REDIS_URL');
  expect(out.error.message).toContain("inside the project's folder");
});

test('outside the project with nothing set, status and workspace commands refuse on stderr', async () => {
  for (const args of [['status'], ['workspace', 'list']]) {
    const { code, stdout, stderr } = await intake(args, outside);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Intake does not know which database to use');
  }
});

test('a half-written services file is named in the refusal, never replaced by a default address', async () => {
  const broken = join(outside, 'broken');
  mkdirSync(join(broken, '.intake'), { recursive: true });
  const file = join(broken, '.intake', 'services.json');
  writeFileSync(file, '{"mongoUri": "mongodb://127.0.0.1:');
  const { code, stdout } = await intake(['status', '--json'], broken);
  expect(code).toBe(2);
  expect(JSON.parse(stdout).error).toMatchObject({
    code: 'not_configured',
    message: expect.stringContaining(`${file} does not name them`),
  });
});

test('suggest works without a database, and says it suggests without learned mappings', async () => {
  const { code, stdout, stderr } = await intake(['suggest', people, '--json'], outside);
  expect(code).toBe(0);
  expect(JSON.parse(stdout).columns.map((c: { field: string }) => c.field)).toEqual(['firstName', 'email']);
  expect(stderr).toContain('Suggesting without learned mappings.');
});

test('a services file in a folder above is found; the summary names the workspace and the database', async () => {
  const project = join(outside, 'project');
  mkdirSync(join(project, '.intake'), { recursive: true });
  writeFileSync(join(project, '.intake', 'services.json'), JSON.stringify({ mongoUri, redisUrl }));
  const deep = join(project, 'sub', 'dir');
  mkdirSync(deep, { recursive: true });

  const json = await intake(['import', people, '--type', 'clients', '--yes', '--json'], deep);
  expect(json.code).toBe(0);
  const out = JSON.parse(json.stdout);
  expect(out).toMatchObject({
    status: 'completed',
    counts: { imported: 1 },
    workspace: 'default',
    database: location,
  });

  const text = await intake(['status', out.importId], deep);
  expect(text.code).toBe(0);
  expect(text.stdout).toContain(`workspace default, database ${location}`);
});

test('MONGODB_URI and REDIS_URL point it from anywhere; the text summary names the workspace and the database', async () => {
  const env = { ...unpointedEnv(), MONGODB_URI: mongoUri, REDIS_URL: redisUrl };
  const { code, stdout } = await intake(
    ['import', people, '--type', 'clients', '--yes', '--on-duplicate', 'update'],
    outside,
    env,
  );
  expect(code).toBe(0);
  expect(stdout).toMatch(/^Import \S+ completed\n {2}workspace default, database /);
  expect(stdout).toContain(`workspace default, database ${location}`);
  expect(stdout).not.toContain('@');
});
