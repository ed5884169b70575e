import { parseSlackBody } from './slack-http.receiver';

describe('parseSlackBody', () => {
  it('reads events as JSON', () => {
    expect(parseSlackBody('{"type":"event_callback"}', 'application/json; charset=utf-8')).toEqual({
      type: 'event_callback',
    });
  });

  it('reads interactions from the form field payload', () => {
    const body = new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', actions: [] }) });
    expect(parseSlackBody(body.toString(), 'application/x-www-form-urlencoded')).toEqual({
      type: 'block_actions',
      actions: [],
    });
  });

  it('reads slash commands as plain form fields', () => {
    const body = new URLSearchParams({ command: '/intake', text: 'status imp_1', team_id: 'T1' });
    expect(parseSlackBody(body.toString(), 'application/x-www-form-urlencoded')).toEqual({
      command: '/intake',
      text: 'status imp_1',
      team_id: 'T1',
    });
  });
});
