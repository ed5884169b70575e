/** Slack's own hosts: files.slack.com and the other file and CDN hosts under these names. */
const SLACK_HOST = /^(?:[a-z0-9-]+\.)*(?:slack\.com|slack-edge\.com)$/i;

/**
 * Whether a file link may be fetched with the bot token: https on one of Slack's hosts (default
 * port, no credentials in the link), or the origin of the Web API Intake is configured with (which
 * is slack.com in production and a local stand-in in tests). Anything else would hand the token to
 * whoever controls the link.
 */
export function isSlackFileUrl(link: string, apiUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:' && url.port === '' && SLACK_HOST.test(url.hostname)) return true;
  try {
    return url.origin === new URL(apiUrl).origin;
  } catch {
    return false;
  }
}
