import { importedBy } from './import-origin';

test('an email import belongs to its sender', () => {
  expect(importedBy('email', { sender: 'ana@example.com', recipient: 'clients@import.localhost' })).toBe(
    'ana@example.com',
  );
});

test('a Slack import belongs to who started it, else to who shared the file', () => {
  expect(importedBy('slack', { user: 'U1', startedBy: 'U2' })).toBe('U2');
  expect(importedBy('slack', { user: 'U1' })).toBe('U1');
});

test('API and CLI imports, and origins without a name, name nobody', () => {
  expect(importedBy('api', {})).toBeNull();
  expect(importedBy('cli', { sender: 'not@used.example' })).toBeNull();
  expect(importedBy('email', { sender: 42 })).toBeNull();
  expect(importedBy('slack', undefined)).toBeNull();
});
