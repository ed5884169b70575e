import { KeyTable } from './key-table';

test('the first row of a key is kept; later rows get it back', () => {
  const t = new KeyTable(4);
  expect(t.firstRowOf('a@example.com', 2)).toBeUndefined();
  expect(t.firstRowOf('a@example.com', 9)).toBe(2);
  expect(t.size).toBe(1);
});

test('has() answers without recording the key, across the table growing', () => {
  const t = new KeyTable(4);
  for (let i = 0; i < 1000; i++) t.firstRowOf(`k${i}`, i + 2);
  expect(t.size).toBe(1000);
  expect(t.has('k0')).toBe(true);
  expect(t.has('k999')).toBe(true);
  expect(t.has('k1000')).toBe(false);
  expect(t.size).toBe(1000);
  expect(t.firstRowOf('k1000', 5000)).toBeUndefined();
  expect(t.firstRowOf('k500', 5001)).toBe(502);
});
