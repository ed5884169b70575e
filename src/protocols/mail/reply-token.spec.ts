import { checkToken, issueToken, readToken } from './reply-token';

const secret = 'test-secret';
const now = new Date('2026-11-24T00:00:00Z');
const later = new Date('2026-11-27T00:00:00Z');

describe('reply tokens', () => {
  const token = issueToken(secret, '0123456789abcdef', later, 'Ana@Example.com');

  it('are lower-case and short enough for an address local part', () => {
    expect(token).toMatch(/^[0-9a-z-]+$/);
    expect(`import+${token}`.length).toBeLessThanOrEqual(64);
    expect(readToken(token)?.conversationId).toBe('0123456789abcdef');
  });
  it('work for the original sender until they expire', () => {
    expect(checkToken(secret, token, 'ana@example.com', now)).toBe('ok');
    expect(checkToken(secret, token, 'ana@example.com', later)).toBe('expired');
  });
  it('are bound to the sender and the secret', () => {
    expect(checkToken(secret, token, 'bob@example.com', now)).toBe('wrong_sender');
    expect(checkToken('other', token, 'ana@example.com', now)).toBe('wrong_sender');
    expect(checkToken(secret, 'garbage', 'ana@example.com', now)).toBe('malformed');
  });
  it('cannot be extended by editing the expiry', () => {
    const [id, , sig] = token.split('-');
    const forged = `${id}-${Math.floor(Date.now() / 1000 + 1e8).toString(36)}-${sig}`;
    expect(checkToken(secret, forged, 'ana@example.com', now)).toBe('wrong_sender');
  });
});
