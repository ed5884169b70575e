import { randomBytes } from 'node:crypto';
import { startApp, RunningApp } from '../../src/app/start';
import { hashApiKey, WorkspacesService } from '../../src/engine/workspaces/workspaces.service';
import { Harness, isolatedEnv } from '../support/intake-harness';
import { bearer, database, request } from './http-support';

const newKey = () => `ik_test_${randomBytes(12).toString('hex')}`;

/** An Intake on this env, as a harness, so the HTTP helpers work with it. */
async function start(env: NodeJS.ProcessEnv): Promise<Harness & { running: RunningApp }> {
  const running = await startApp(env);
  return {
    running,
    app: running,
    env,
    apiKey: env.INTAKE_API_KEY ?? '',
    url: running.url ?? '',
    imports: undefined as never,
    workspaceId: running.config.defaultWorkspace.id,
    close: () => running.close(),
  };
}

const statusWith = async (h: Harness, key: string) => (await request(h, '/imports', {}, bearer(key))).status;

describe('changing INTAKE_API_KEY', () => {
  const keyA = newKey();
  const keyB = newKey();
  const env = isolatedEnv('sec_keys_rotate', { INTAKE_API_KEY: keyA, INTAKE_ROLES: 'api' });
  let h: Harness;
  let cliKey: string;

  afterAll(() => h?.close());

  test('retires the key it seeded before; a key made with the CLI keeps working', async () => {
    h = await start(env);
    cliKey = (await h.app.context.get(WorkspacesService).issueKey('default', 'ci')).key;
    expect(await statusWith(h, keyA)).toBe(200);
    await h.close();

    h = await start({ ...env, INTAKE_API_KEY: keyB });
    expect(await statusWith(h, keyA)).toBe(401);
    expect(await statusWith(h, keyB)).toBe(200);
    expect(await statusWith(h, cliKey)).toBe(200);
    const seeded = await database(h).collection('api_keys').find({ label: 'INTAKE_API_KEY' }).toArray();
    expect(seeded.map((k) => [k.hash, k.revokedAt !== null])).toEqual(
      expect.arrayContaining([
        [hashApiKey(keyA), true],
        [hashApiKey(keyB), false],
      ]),
    );
  });

  test('a process that starts again with the old value neither revives it nor retires the new one', async () => {
    const old = await start({ ...env, INTAKE_API_KEY: keyA });
    try {
      expect(await statusWith(old, keyA)).toBe(401);
      expect(await statusWith(old, keyB)).toBe(200);
      expect(await statusWith(h, keyB)).toBe(200);
      expect(await statusWith(old, cliKey)).toBe(200);
    } finally {
      await old.close();
    }
  });
});

describe('a revoked key stays revoked when writes race', () => {
  let h: Harness;
  let workspaces: WorkspacesService;

  beforeAll(async () => {
    h = await start(isolatedEnv('sec_keys_race', { INTAKE_ROLES: 'api' }));
    workspaces = h.app.context.get(WorkspacesService);
  });
  afterAll(() => h.close());

  test('revocations, new keys, seeding and other workspace writes at once: every revoked key is refused, every new key works', async () => {
    const revoked: string[] = [];
    const added: string[] = [];
    for (let round = 0; round < 12; round++) {
      const victims = await Promise.all([1, 2, 3].map(() => workspaces.issueKey('default', 'victim')));
      const results = await Promise.all([
        ...victims.map((v) => workspaces.revokeKey('default', v.id).then(() => null)),
        ...[1, 2, 3].map(() => workspaces.issueKey('default', 'fresh').then((k) => k.key)),
        workspaces.seedDefault().then(() => null),
        workspaces.allowSender('default', `@race${round}.example`).then(() => null),
        workspaces.setEmailAutoStart('default', round % 2 === 0).then(() => null),
      ]);
      revoked.push(...victims.map((v) => v.key));
      added.push(...results.filter((k): k is string => typeof k === 'string'));
    }
    for (const key of revoked) expect(await workspaces.byApiKey(key)).toBeNull();
    for (const key of added) expect((await workspaces.byApiKey(key))?._id).toBe('default');
    // And through the real door.
    expect(await statusWith(h, revoked[revoked.length - 1]!)).toBe(401);
    expect(await statusWith(h, added[added.length - 1]!)).toBe(200);
    expect(await statusWith(h, h.apiKey)).toBe(200);
  });

  test('revoking a key twice at once revokes it; the key is refused afterwards', async () => {
    const { id, key } = await workspaces.issueKey('default', 'twice');
    const outcomes = await Promise.allSettled([
      workspaces.revokeKey('default', id),
      workspaces.revokeKey('default', id),
    ]);
    expect(outcomes.some((o) => o.status === 'fulfilled')).toBe(true);
    expect(await statusWith(h, key)).toBe(401);
  });
});

describe('keys kept inside the workspace by earlier releases', () => {
  test('are moved to their own documents at start, revocations kept', async () => {
    const env = isolatedEnv('sec_keys_legacy', { INTAKE_ROLES: 'api' });
    const active = newKey();
    const gone = newKey();
    let h = await start(env);
    const entry = (key: string, id: string, revokedAt: Date | null) => ({
      id,
      hash: hashApiKey(key),
      label: 'api',
      createdAt: new Date(),
      revokedAt,
    });
    await database(h)
      .collection<{ _id: string }>('workspaces')
      .updateOne(
        { _id: 'default' },
        { $set: { apiKeys: [entry(active, 'key_old1', null), entry(gone, 'key_old2', new Date())] } },
      );
    await h.close();

    h = await start(env);
    try {
      expect(await statusWith(h, active)).toBe(200);
      expect(await statusWith(h, gone)).toBe(401);
      const ws = await database(h).collection<{ _id: string }>('workspaces').findOne({ _id: 'default' });
      expect(ws).not.toHaveProperty('apiKeys');
    } finally {
      await h.close();
    }
  });
});
