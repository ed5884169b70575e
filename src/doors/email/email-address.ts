import { isRecordType, RecordType } from '../../core/record-type';
import { domainOf, normalizeAddress } from '../../protocols/mail/mail-address';

/** What an inbound recipient means: a type's import address, or a reply carrying a token. */
export type Recipient = { kind: 'type'; type: RecordType } | { kind: 'reply'; token: string };

/** `clients@`, `leads@`, `companies@` and `import+<token>@` the import domain; anything else is null. */
export function parseRecipient(address: string, importDomain: string): Recipient | null {
  const a = normalizeAddress(address);
  const at = a.lastIndexOf('@');
  if (at < 1 || a.slice(at + 1) !== importDomain.toLowerCase()) return null;
  const local = a.slice(0, at);
  if (isRecordType(local)) return { kind: 'type', type: local };
  const m = /^import\+([a-z0-9-]{8,80})$/.exec(local);
  return m?.[1] ? { kind: 'reply', token: m[1] } : null;
}

export function replyAddress(token: string, importDomain: string): string {
  return `import+${token}@${importDomain}`;
}

/** How well an allow-list entry covers a sender: 2 = the exact address, 1 = its `@domain`, 0 = not. */
export function allowScore(allowed: readonly string[], sender: string): 0 | 1 | 2 {
  const s = normalizeAddress(sender);
  if (!s.includes('@')) return 0;
  const list = allowed.map((a) => a.trim().toLowerCase());
  if (list.includes(s)) return 2;
  return list.includes(`@${domainOf(s)}`) ? 1 : 0;
}

/** The workspace that allows a sender; the most specific entry wins (exact address over domain), then the lowest id. */
export function pickWorkspace(
  workspaces: readonly { _id: string; allowedSenders: readonly string[] }[],
  sender: string,
): string | null {
  let best: { id: string; score: number } | null = null;
  for (const ws of [...workspaces].sort((a, b) => a._id.localeCompare(b._id))) {
    const score = allowScore(ws.allowedSenders, sender);
    if (score > 0 && (!best || score > best.score)) best = { id: ws._id, score };
  }
  return best?.id ?? null;
}

/** The allow-list values that could match a sender, for an indexed query. */
export function allowCandidates(sender: string): string[] {
  const s = normalizeAddress(sender);
  return [s, `@${domainOf(s)}`];
}
