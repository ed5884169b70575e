import { startApp } from '../../src/app/start';
import { ACTION } from '../../src/doors/slack/slack-ids';
import { World, mapping, press, share, startWorld } from './slack-world';

// The API process that posted a progress message stops; the next one to start picks the import up
// again and keeps editing that message until the end.
let w: World;

beforeAll(async () => {
  // No worker at first: the started import waits in the queue.
  w = await startWorld('slack_resume', { INTAKE_ROLES: 'api' });
});
afterAll(() => w.slack.close());

test('a restarted API process resumes editing the progress message of a queued import', async () => {
  const s = await share(w, 'First Name,Email\nAna,ana@resume.example.com\nBo,bo@resume.example.com\n');
  const c = await mapping(w, s);
  await press(w, c, ACTION.start);
  const progress = await w.slack.waitFor('the progress message', () =>
    w.slack.posted().find((p) => p.channel === s.channel && /^Import queued/.test(p.text)),
  );
  await w.h.close();

  const next = await startApp({ ...w.h.env, INTAKE_ROLES: 'api,worker' });
  try {
    const final = await w.slack.waitFor('the final progress edit by the new process', () =>
      w.slack
        .callsOf('chat.update')
        .find((u) => u.args.ts === progress.ts && /100%/.test(String(u.args.text))),
    );
    expect(String(final.args.text)).toMatch(/2 rows read: 2 imported/);
  } finally {
    await next.close();
  }
});
