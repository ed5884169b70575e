/** One `method=result` of an Authentication-Results header, with its `ptype.property=value` pairs. */
export interface AuthResultEntry {
  method: string;
  result: string;
  props: Readonly<Record<string, string>>;
}

export interface AuthResultsHeader {
  authservId: string;
  entries: AuthResultEntry[];
}

/** Drops (comments), keeping quoted strings as they are. */
function withoutComments(text: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (const c of text) {
    if (quoted) {
      if (c === '"') quoted = false;
      out += c;
    } else if (c === '"' && depth === 0) {
      quoted = true;
      out += c;
    } else if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  return out;
}

/**
 * Parses the value of an Authentication-Results (or ARC-Authentication-Results) header:
 * `[i=N;] authserv-id [version]; method=result ptype.property=value …; …`. Null when malformed.
 */
export function parseAuthResults(value: string): AuthResultsHeader | null {
  const parts = withoutComments(value)
    .split(';')
    .map((p) => p.trim().replace(/\s+/g, ' '));
  if (/^i=\d+$/i.test(parts[0] ?? '')) parts.shift();
  const authservId = (parts.shift() ?? '').split(' ')[0]!.toLowerCase();
  if (!authservId || authservId.includes('=')) return null;
  const entries: AuthResultEntry[] = [];
  for (const part of parts) {
    const [head, ...rest] = part.split(' ');
    const m = /^([a-z0-9_-]+)(?:\/[0-9]+)?=([a-z]+)$/i.exec(head ?? '');
    if (!m) continue;
    const props: Record<string, string> = {};
    for (const token of rest) {
      const p = /^([a-z0-9_-]+\.[a-z0-9_-]+)=(.*)$/i.exec(token);
      if (p) props[p[1]!.toLowerCase()] = p[2]!.replace(/^"|"$/g, '');
    }
    entries.push({ method: m[1]!.toLowerCase(), result: m[2]!.toLowerCase(), props });
  }
  return { authservId, entries };
}
