import { createHmac, timingSafeEqual } from 'node:crypto';
import { normalizeAddress } from './mail-address';

/**
 * A reply token is `<conversation>-<expiry>-<signature>`, lower-case hex and base-36 only, so that mail
 * systems that change the case of an address's local part do not break it. The signature is an HMAC of
 * the conversation id, the expiry and the original sender: a token only works for the person it was
 * sent to. Single use is kept in the database (the conversation's `usedAt`), not in the token.
 */
export interface TokenParts {
  conversationId: string;
  expiresAt: Date;
  signature: string;
}

const SIG_HEX = 24;

function sign(secret: string, conversationId: string, expiry: string, sender: string): string {
  return createHmac('sha256', secret)
    .update(`${conversationId}.${expiry}.${normalizeAddress(sender)}`)
    .digest('hex')
    .slice(0, SIG_HEX);
}

export function issueToken(secret: string, conversationId: string, expiresAt: Date, sender: string): string {
  const expiry = Math.floor(expiresAt.getTime() / 1000).toString(36);
  return `${conversationId}-${expiry}-${sign(secret, conversationId, expiry, sender)}`;
}

/** Splits a token without checking its signature (that needs the sender, known at the end of DATA). */
export function readToken(token: string): TokenParts | null {
  const m = /^([0-9a-f]{16})-([0-9a-z]{1,10})-([0-9a-f]{24})$/.exec(token.toLowerCase());
  if (!m) return null;
  return {
    conversationId: m[1]!,
    expiresAt: new Date(parseInt(m[2]!, 36) * 1000),
    signature: m[3]!,
  };
}

export type TokenCheck = 'ok' | 'malformed' | 'expired' | 'wrong_sender';

export function checkToken(secret: string, token: string, sender: string, now: Date): TokenCheck {
  const parts = readToken(token);
  if (!parts) return 'malformed';
  const expiry = token.toLowerCase().split('-')[1]!;
  const expected = Buffer.from(sign(secret, parts.conversationId, expiry, sender));
  if (!timingSafeEqual(expected, Buffer.from(parts.signature))) return 'wrong_sender';
  return parts.expiresAt.getTime() <= now.getTime() ? 'expired' : 'ok';
}
