import { sameSecret } from './secret-compare';

describe('sameSecret', () => {
  it('accepts the exact secret', () => {
    expect(sameSecret('op-key-0123456789abcdef', 'op-key-0123456789abcdef')).toBe(true);
  });

  it('refuses a different secret, a prefix, a longer one and a change of case', () => {
    expect(sameSecret('op-key-0123456789abcdeX', 'op-key-0123456789abcdef')).toBe(false);
    expect(sameSecret('op-key-0123', 'op-key-0123456789abcdef')).toBe(false);
    expect(sameSecret('op-key-0123456789abcdef0', 'op-key-0123456789abcdef')).toBe(false);
    expect(sameSecret('OP-KEY-0123456789ABCDEF', 'op-key-0123456789abcdef')).toBe(false);
  });

  it('never accepts against an empty expected secret', () => {
    expect(sameSecret('', '')).toBe(false);
  });
});
