import { allowScore, parseRecipient, pickWorkspace } from './email-address';

describe('parseRecipient', () => {
  it('knows the type addresses and reply addresses of the import domain, case-insensitively', () => {
    expect(parseRecipient('Clients@Import.Test', 'import.test')).toEqual({ kind: 'type', type: 'clients' });
    expect(parseRecipient('<leads@import.test>', 'import.test')).toEqual({ kind: 'type', type: 'leads' });
    expect(parseRecipient('import+0123456789abcdef-abc-00@import.test', 'import.test')).toEqual({
      kind: 'reply',
      token: '0123456789abcdef-abc-00',
    });
  });
  it('refuses other local parts and other domains', () => {
    expect(parseRecipient('sales@import.test', 'import.test')).toBeNull();
    expect(parseRecipient('clients@import.test.evil', 'import.test')).toBeNull();
    expect(parseRecipient('import+x@import.test', 'import.test')).toBeNull();
  });
});

describe('allowed senders', () => {
  it('matches an exact address over its domain', () => {
    expect(allowScore(['@example.com'], 'Ana@Example.com')).toBe(1);
    expect(allowScore(['ana@example.com'], 'ana@example.com')).toBe(2);
    expect(allowScore(['@example.com'], 'ana@sub.example.com')).toBe(0);
  });
  it('picks the most specific workspace', () => {
    const ws = [
      { _id: 'a', allowedSenders: ['@example.com'] },
      { _id: 'b', allowedSenders: ['boss@example.com'] },
    ];
    expect(pickWorkspace(ws, 'boss@example.com')).toBe('b');
    expect(pickWorkspace(ws, 'ana@example.com')).toBe('a');
    expect(pickWorkspace(ws, 'ana@other.test')).toBeNull();
  });
});
