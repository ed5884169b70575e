import { World, startWorld } from './slack-world';

let w: World;

beforeAll(async () => {
  w = await startWorld('slack_socket', { SLACK_APP_TOKEN: 'xapp-1-test', LOG_LEVEL: 'silent' });
});
afterAll(() => w.close());

test('with SLACK_APP_TOKEN the app uses Socket Mode: no HTTP endpoint, and an unreachable socket does not stop Intake', async () => {
  const res = await fetch(`${w.h.url}/slack/events`, { method: 'POST', body: '{}' });
  expect(res.status).toBe(404);
  await w.slack.waitFor('the socket connection attempt', () => w.slack.callsOf('apps.connections.open')[0]);
  expect((await fetch(`${w.h.url}/health`)).status).toBeLessThan(500);
});
