import { presentedSecret } from './admin-auth';

const basic = (userPass: string) => `Basic ${Buffer.from(userPass).toString('base64')}`;

describe('presentedSecret', () => {
  it('reads a Bearer token', () => {
    expect(presentedSecret('Bearer abc123')).toBe('abc123');
  });

  it('reads the password of Basic auth, whatever the user name, keeping colons in it', () => {
    expect(presentedSecret(basic('ops:s3cret'))).toBe('s3cret');
    expect(presentedSecret(basic(':s3cret'))).toBe('s3cret');
    expect(presentedSecret(basic('ops:a:b'))).toBe('a:b');
  });

  it('finds nothing in a missing header, another scheme or Basic without a colon', () => {
    expect(presentedSecret(undefined)).toBeNull();
    expect(presentedSecret('Digest x=1')).toBeNull();
    expect(presentedSecret(basic('nocolon'))).toBeNull();
  });
});
