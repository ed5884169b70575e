import { RunCompanies } from './run-companies';

test('a dry run counts each would-be company once per run', () => {
  const c = new RunCompanies();
  expect(c.wasCounted('acme')).toBe(false);
  expect(c.countOnce('acme')).toBe(true);
  expect(c.countOnce('acme')).toBe(false);
  expect(c.wasCounted('acme')).toBe(true);
});

test('the id cache starts over past its bound, at the start of a batch only', () => {
  const c = new RunCompanies();
  for (let i = 0; i <= 10_000; i++) c.remember(`co ${i}`, `id${i}`);
  expect(c.idOf('co 0')).toBe('id0');
  c.startBatch();
  expect(c.idOf('co 0')).toBeUndefined();
  c.remember('co 0', 'id0');
  c.startBatch();
  expect(c.idOf('co 0')).toBe('id0');
});
