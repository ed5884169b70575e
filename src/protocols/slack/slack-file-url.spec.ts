import { isSlackFileUrl } from './slack-file-url';

const SLACK_API = 'https://slack.com/api/';

describe('isSlackFileUrl', () => {
  it("accepts Slack's file hosts over https", () => {
    expect(isSlackFileUrl('https://files.slack.com/files-pri/T1-F1/download/a.csv', SLACK_API)).toBe(true);
    expect(isSlackFileUrl('https://files-edu.slack.com/files-pri/T1-F1/download/a.csv', SLACK_API)).toBe(
      true,
    );
    expect(isSlackFileUrl('https://a.slack-edge.com/x/a.csv', SLACK_API)).toBe(true);
    expect(isSlackFileUrl('https://FILES.SLACK.COM:443/files-pri/x', SLACK_API)).toBe(true);
  });

  it('refuses plain http, other ports and credentials in the link', () => {
    expect(isSlackFileUrl('http://files.slack.com/files-pri/x', SLACK_API)).toBe(false);
    expect(isSlackFileUrl('https://files.slack.com:8443/files-pri/x', SLACK_API)).toBe(false);
    expect(isSlackFileUrl('https://user:pw@files.slack.com/files-pri/x', SLACK_API)).toBe(false);
  });

  it('refuses look-alike and foreign hosts', () => {
    expect(isSlackFileUrl('https://files.slack.com.evil.example/x', SLACK_API)).toBe(false);
    expect(isSlackFileUrl('https://evilslack.com/x', SLACK_API)).toBe(false);
    expect(isSlackFileUrl('https://files.slack.com@evil.example/x', SLACK_API)).toBe(false);
    expect(isSlackFileUrl('https://evil.example/files.slack.com/x', SLACK_API)).toBe(false);
    expect(isSlackFileUrl('file:///etc/passwd', SLACK_API)).toBe(false);
    expect(isSlackFileUrl('not a url', SLACK_API)).toBe(false);
  });

  it("accepts the configured Web API's own origin, scheme and port included, and nothing near it", () => {
    const standIn = 'http://127.0.0.1:4567/api/';
    expect(isSlackFileUrl('http://127.0.0.1:4567/files-pri/F1/download/a.csv', standIn)).toBe(true);
    expect(isSlackFileUrl('http://127.0.0.1:4568/files-pri/F1/download/a.csv', standIn)).toBe(false);
    expect(isSlackFileUrl('http://localhost:4567/files-pri/F1/download/a.csv', standIn)).toBe(false);
    expect(isSlackFileUrl('https://127.0.0.1:4567/files-pri/F1/download/a.csv', standIn)).toBe(false);
  });
});
