import { ALLOWED_SENDER } from './workspaces.service';

describe('ALLOWED_SENDER', () => {
  it.each(['ana@example.com', '@example.com', 'a.b@mail.example.co.uk', '@.example.com', 'ana@x..de'])(
    'allows %s',
    (sender) => {
      expect(ALLOWED_SENDER.test(sender)).toBe(true);
    },
  );

  it.each([
    'example.com',
    'ana@example',
    '@example.',
    'ana@.com',
    'a@b@example.com',
    'ana @example.com',
    '@',
  ])('refuses %s', (sender) => {
    expect(ALLOWED_SENDER.test(sender)).toBe(false);
  });
});
