import { randomBytes } from 'node:crypto';
import type { Queue } from 'bull';
import { JobQueues } from '../../src/engine/queue/job-queues';
import { WorkspacesService } from '../../src/engine/workspaces/workspaces.service';
import { Harness, startHarness } from '../support/intake-harness';
import { basic, bearer, errorOf, request } from './http-support';

const ADMIN_KEY = `op_${randomBytes(24).toString('hex')}`;

describe('the queue dashboard with INTAKE_ADMIN_KEY set', () => {
  let h: Harness;
  let otherKey: string;
  let queue: Queue;

  beforeAll(async () => {
    h = await startHarness('sec_admin', { INTAKE_ADMIN_KEY: ADMIN_KEY });
    const workspaces = h.app.context.get(WorkspacesService);
    await workspaces.create('sec-admin-other');
    otherKey = (await workspaces.issueKey('sec-admin-other')).key;
    queue = h.app.context.get(JobQueues).bullQueues()[0]!;
  });
  afterAll(() => h.close());

  test('without a key: 401 with the error shape and a Basic challenge', async () => {
    const res = await request(h, '/admin/queues');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect((await errorOf(res)).code).toBe('unauthorized');
  });

  test("the default workspace's API key does not open it, as Bearer or as Basic password", async () => {
    expect((await request(h, '/admin/queues', {}, bearer(h.apiKey))).status).toBe(401);
    expect((await request(h, '/admin/queues', {}, basic('admin', h.apiKey))).status).toBe(401);
  });

  test("another workspace's API key does not open it", async () => {
    expect((await request(h, '/admin/queues', {}, bearer(otherKey))).status).toBe(401);
  });

  test('a wrong operator key, or the right one with a character changed, gets 401', async () => {
    expect((await request(h, '/admin/queues', {}, bearer(`${ADMIN_KEY}x`))).status).toBe(401);
    expect((await request(h, '/admin/queues', {}, bearer(ADMIN_KEY.slice(0, -1)))).status).toBe(401);
    expect((await request(h, '/admin/queues', {}, basic('admin', 'nope'))).status).toBe(401);
  });

  test('a workspace API key cannot pause a queue through the dashboard API; nothing changes', async () => {
    const path = `/admin/queues/api/queues/${encodeURIComponent(queue.name)}/pause`;
    const res = await request(h, path, { method: 'PUT' }, bearer(h.apiKey));
    expect(res.status).toBe(401);
    expect(await queue.isPaused()).toBe(false);
  });

  test('the operator key opens it, as Bearer or as the Basic password', async () => {
    expect((await request(h, '/admin/queues', {}, bearer(ADMIN_KEY))).status).toBe(200);
    expect((await request(h, '/admin/queues', {}, basic('ops', ADMIN_KEY))).status).toBe(200);
    const api = await request(h, '/admin/queues/api/queues', {}, bearer(ADMIN_KEY));
    expect(api.status).toBe(200);
    const { queues } = (await api.json()) as { queues: { name: string }[] };
    expect(queues.map((q) => q.name)).toContain(queue.name);
  });
});

describe('the queue dashboard without INTAKE_ADMIN_KEY', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness('sec_admin_off');
  });
  afterAll(() => h.close());

  test('is not served: 404 with the error shape, whatever key is sent', async () => {
    for (const auth of [undefined, bearer(h.apiKey), basic('admin', h.apiKey)]) {
      const res = await request(h, '/admin/queues', {}, auth);
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toBe('not_found');
    }
    expect((await request(h, '/admin/queues/api/queues', {}, bearer(h.apiKey))).status).toBe(404);
  });
});
