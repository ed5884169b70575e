import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isolatedEnv } from '../support/intake-harness';

/** The Slack settings of a workspace, set with the real `intake` CLI (built into dist/). */
const run = promisify(execFile);
const CLI = join(__dirname, '../../dist/src/doors/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'intake-slack-cli-'));
const env = { ...process.env, ...isolatedEnv('slack_cli') };

async function intake(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [CLI, ...args], { env, cwd: dir, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

interface Listed {
  id: string;
  slackConfirm: string;
  slackAdmins: string[];
  slackTrustWorkspaceAdmins: boolean;
  slackAnswerNonTables: boolean;
}

async function defaultWorkspace(): Promise<Listed> {
  const list = JSON.parse((await intake(['workspace', 'list', '--json'])).stdout) as Listed[];
  return list.find((w) => w.id === 'default')!;
}

test('a workspace confirms as a team by default, with no Slack admins', async () => {
  expect(await defaultWorkspace()).toMatchObject({
    slackConfirm: 'team',
    slackAdmins: [],
    slackTrustWorkspaceAdmins: false,
    slackAnswerNonTables: true,
  });
});

test('slack-confirm, slack-admin and slack-trust-admins set who may act, and say so', async () => {
  expect((await intake(['workspace', 'slack-confirm', 'default', 'sharer'])).stdout).toContain(
    'only the person who shared the file',
  );
  expect((await intake(['workspace', 'slack-admin', 'default', 'add', 'U0ADMIN1'])).code).toBe(0);
  expect((await intake(['workspace', 'slack-admin', 'default', 'add', 'u0admin2'])).code).toBe(0);
  expect((await intake(['workspace', 'slack-admin', 'default', 'remove', 'U0ADMIN1'])).code).toBe(0);
  expect((await intake(['workspace', 'slack-admin', 'default', 'list'])).stdout.trim()).toBe('U0ADMIN2');
  expect((await intake(['workspace', 'slack-trust-admins', 'default', 'on'])).code).toBe(0);
  expect((await intake(['workspace', 'slack-answer-non-tables', 'default', 'off'])).stdout).toContain(
    'passed over in silence',
  );
  expect(await defaultWorkspace()).toMatchObject({
    slackConfirm: 'sharer',
    slackAdmins: ['U0ADMIN2'],
    slackTrustWorkspaceAdmins: true,
    slackAnswerNonTables: false,
  });
});

test('refuses what is not a mode, a Slack user id or a workspace, and changes nothing', async () => {
  const before = await defaultWorkspace();
  const refused = [
    ['workspace', 'slack-confirm', 'default', 'anyone'],
    ['workspace', 'slack-admin', 'default', 'add', 'not-a-user'],
    ['workspace', 'slack-admin', 'default', 'add'],
    ['workspace', 'slack-admin', 'nowhere', 'add', 'U0ADMIN3'],
    ['workspace', 'slack-trust-admins', 'default', 'maybe'],
    ['workspace', 'slack-answer-non-tables', 'default', 'sometimes'],
    ['workspace', 'slack-answer-non-tables', 'nowhere', 'off'],
  ];
  for (const args of refused) expect((await intake(args)).code).not.toBe(0);
  expect(await defaultWorkspace()).toEqual(before);
});
