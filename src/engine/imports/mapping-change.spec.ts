import type { MappedColumn } from './import.schema';
import { applyMappingChange, retypeMapping } from './mapping-change';

const col = (
  index: number,
  header: string,
  field: MappedColumn['field'],
  chosenAt?: number,
): MappedColumn => ({
  index,
  header,
  field,
  confidence: chosenAt ? 1 : 0.8,
  ...(chosenAt ? { chosenAt } : {}),
});

describe('mapping changes in the order people made them', () => {
  const mapping = [col(0, 'Name', 'firstName'), col(1, 'Mail', 'email'), col(2, 'Org', 'company', 300)];

  it('applies a newer choice and stamps it', () => {
    const next = applyMappingChange('clients', mapping, { byHeader: { Org: null } }, 400);
    expect(next[2]).toEqual({ index: 2, header: 'Org', field: null, confidence: 1, chosenAt: 400 });
  });

  it("drops the suggester's reason and warning once a person chooses the column", () => {
    const warned: MappedColumn = {
      ...col(0, 'Phone', 'phone'),
      reason: 'header',
      warning: 'The column "Phone" holds e-mail addresses, not Phone values: check it.',
    };
    const [next] = applyMappingChange('clients', [warned], { byHeader: { Phone: 'email' } }, 400);
    expect(next).toEqual({ index: 0, header: 'Phone', field: 'email', confidence: 1, chosenAt: 400 });
  });

  it('drops a choice older than the column’s current one', () => {
    const next = applyMappingChange('clients', mapping, { byHeader: { Org: 'notes' } }, 200);
    expect(next[2]?.field).toBe('company');
  });

  it('drops a column choice made before the type was last chosen', () => {
    const next = applyMappingChange(
      'clients',
      mapping,
      { byIndex: [{ index: 0, field: 'notes' }] },
      100,
      150,
    );
    expect(next[0]?.field).toBe('firstName');
  });

  it('still refuses an unknown field, even in a stale choice', () => {
    expect(() => applyMappingChange('clients', mapping, { byHeader: { Org: 'shoeSize' } }, 1)).toThrow(
      /not a field of clients/,
    );
  });

  it('a type change handled late keeps the columns chosen after it, when the new type has the field', () => {
    const suggestion = [col(0, 'Name', 'fullName'), col(1, 'Mail', 'email'), col(2, 'Org', 'industry')];
    // "Org" was chosen (as company) after the type change, but companies have no company field.
    expect(retypeMapping('companies', mapping, suggestion, 250)).toEqual(suggestion);
    const later = [col(0, 'Name', 'firstName'), col(1, 'Mail', 'email'), col(2, 'Org', 'notes', 300)];
    expect(retypeMapping('companies', later, suggestion, 250)[2]).toEqual(later[2]);
    expect(retypeMapping('companies', later, suggestion, 350)[2]).toEqual(suggestion[2]);
  });
});

describe('custom fields', () => {
  const mapping = [col(0, 'Email', 'email'), col(1, 'Birthday', null), col(2, 'birthday', null)];

  it('keeps a column as a custom field named after its header', () => {
    const next = applyMappingChange('clients', mapping, { byHeader: { Birthday: 'custom' } });
    expect(next[1]?.field).toBe('custom.birthday');
  });

  it('accepts "keep" and "Keep as custom field"', () => {
    expect(applyMappingChange('clients', mapping, { byIndex: [{ index: 1, field: 'keep' }] })[1]?.field).toBe(
      'custom.birthday',
    );
    expect(
      applyMappingChange('clients', mapping, { byIndex: [{ index: 1, field: 'Keep as custom field' }] })[1]
        ?.field,
    ).toBe('custom.birthday');
  });

  it('makes the key unique within the file', () => {
    const next = applyMappingChange('clients', mapping, {
      byIndex: [
        { index: 1, field: 'custom' },
        { index: 2, field: 'custom' },
      ],
    });
    expect(next.map((c) => c.field)).toEqual(['email', 'custom.birthday', 'custom.birthday2']);
  });

  it('takes the name a person gives, made safe', () => {
    const next = applyMappingChange('clients', mapping, { byHeader: { Birthday: 'custom.Date of $birth' } });
    expect(next[1]?.field).toBe('custom.dateOfBirth');
  });

  it('names a column without a header after its position', () => {
    const next = applyMappingChange('clients', [col(0, '', null)], {
      byIndex: [{ index: 0, field: 'custom' }],
    });
    expect(next[0]?.field).toBe('custom.column1');
  });

  it('refuses more custom fields than a file may keep', () => {
    const wide = Array.from({ length: 51 }, (_, i) => col(i, `Extra ${i}`, null));
    const change = { byIndex: wide.map((c) => ({ index: c.index, field: 'custom' })) };
    expect(() => applyMappingChange('clients', wide, change)).toThrow(/at most 50/);
  });

  it('keeps a custom field when the type changes', () => {
    const current = [col(0, 'Birthday', 'custom.birthday', 500)];
    const next = retypeMapping('leads', current, [col(0, 'Birthday', null)], 400);
    expect(next[0]?.field).toBe('custom.birthday');
  });
});
