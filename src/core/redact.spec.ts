import { redact } from './redact';

test('masks emails and phone numbers in log text', () => {
  const msg = 'E11000 dup key: { key: "ana.garcia@example.com" } phone +34 612 345 678';
  expect(redact(msg)).toBe('E11000 dup key: { key: "<email>" } phone <phone>');
});

test('leaves import ids, counts and row numbers readable', () => {
  expect(redact('import imp_Ab12 failed at row 4031 after 3 attempts')).toBe(
    'import imp_Ab12 failed at row 4031 after 3 attempts',
  );
});
