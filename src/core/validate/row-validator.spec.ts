import { MAX_CUSTOM_VALUE_CHARS } from '../custom-field';
import { compileMapping, validateRow } from './row-validator';

const columns = [
  { index: 0, field: 'firstName' as const },
  { index: 1, field: 'email' as const },
  { index: 2, field: 'custom.birthday' as const },
];

describe('custom fields in a row', () => {
  const mapping = compileMapping('clients', 3, columns);

  it('keeps a custom column as a string under its key, apart from the fields', () => {
    const row = validateRow(['Ana', 'ana@example.com', ' 0042 '], mapping, 'US');
    expect(row).toMatchObject({ ok: true, fields: { firstName: 'Ana' }, custom: { birthday: '0042' } });
  });

  it('stores nothing for an empty cell', () => {
    const row = validateRow(['Ana', 'ana@example.com', '  '], mapping, 'US');
    expect(row.ok && row.custom).toBeUndefined();
  });

  it('clips a long value and flags the row', () => {
    const row = validateRow(
      ['Ana', 'ana@example.com', 'x'.repeat(MAX_CUSTOM_VALUE_CHARS + 10)],
      mapping,
      'US',
    );
    expect(row.ok && row.custom?.birthday?.length).toBe(MAX_CUSTOM_VALUE_CHARS);
    expect(row.ok && row.warnings).toEqual([
      `custom field birthday clipped to ${MAX_CUSTOM_VALUE_CHARS} characters`,
    ]);
  });

  it('refuses an unsafe key, a key from two columns, and more than 50', () => {
    expect(() => compileMapping('clients', 1, [{ index: 0, field: 'custom.a.b' }])).toThrow(/not safe/);
    expect(() => compileMapping('clients', 1, [{ index: 0, field: 'custom.$set' }])).toThrow(/not safe/);
    expect(() =>
      compileMapping('clients', 2, [
        { index: 0, field: 'custom.x' },
        { index: 1, field: 'custom.x' },
      ]),
    ).toThrow(/more than one column/);
    const wide = Array.from({ length: 51 }, (_, i) => ({ index: i, field: `custom.c${i}` as const }));
    expect(() => compileMapping('clients', 51, wide)).toThrow(/at most 50/);
  });
});
