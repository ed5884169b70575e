import type { Channel } from './import.schema';

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Who an import belongs to, as its door recorded it: the sender of an email, the Slack user who started
 * it (or shared the file). The API and the CLI know only the workspace's key, so they name nobody.
 */
export function importedBy(channel: Channel, origin: Record<string, unknown> | undefined): string | null {
  const o = origin ?? {};
  if (channel === 'email') return text(o.sender);
  if (channel === 'slack') return text(o.startedBy) ?? text(o.user);
  return null;
}
