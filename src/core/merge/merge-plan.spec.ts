import { planMerge } from './merge-plan';

const existing = {
  fields: { firstName: 'Ana', lastName: 'García', email: 'ana@example.com', city: '', tags: ['vip'] },
  phoneE164: null,
};

describe('planMerge', () => {
  test('update overwrites with the row’s values and keeps what they replace', () => {
    const plan = planMerge(
      existing,
      { fields: { firstName: 'Anita', email: 'ana@example.com', notes: 'new' }, phoneE164: null },
      'update',
    );
    expect(plan).toEqual({
      set: { firstName: 'Anita', notes: 'new' },
      before: { firstName: 'Ana' },
      absent: ['notes'],
    });
  });

  test('fill writes only the fields that are empty on the record', () => {
    const plan = planMerge(
      existing,
      { fields: { firstName: 'Anita', city: 'Madrid', notes: 'n', tags: ['x'] }, phoneE164: null },
      'fill',
    );
    expect(plan).toEqual({ set: { city: 'Madrid', notes: 'n' }, before: { city: '' }, absent: ['notes'] });
  });

  test('a row with the record’s own values changes nothing', () => {
    const row = { fields: { firstName: 'Ana', tags: ['vip'] }, phoneE164: null };
    expect(planMerge(existing, row, 'update')).toBeNull();
    expect(planMerge(existing, { fields: { firstName: 'Bea' }, phoneE164: null }, 'fill')).toBeNull();
  });

  test('tags differ when their order or members differ', () => {
    const plan = planMerge(existing, { fields: { tags: ['vip', 'new'] }, phoneE164: null }, 'update');
    expect(plan?.before).toEqual({ tags: ['vip'] });
  });

  test('a changed phone carries its E.164 form, and the old one is kept', () => {
    const rec = { fields: { phone: '612 345 678' }, phoneE164: '+34612345678' };
    const plan = planMerge(rec, { fields: { phone: 'call me' }, phoneE164: null }, 'update');
    expect(plan?.phone).toEqual({ from: '+34612345678', to: null });
  });
});

describe('planMerge and the linked company', () => {
  const rec = { fields: { firstName: 'Ana' }, phoneE164: null, companyId: 'c1' };
  test('update links the record to the row’s company, keeping the one before', () => {
    const plan = planMerge(rec, { fields: { firstName: 'Ana' }, phoneE164: null, companyId: 'c2' }, 'update');
    expect(plan).toEqual({ set: {}, before: {}, absent: [], company: { from: 'c1', to: 'c2' } });
  });
  test('fill links only a record without a company', () => {
    const row = { fields: { firstName: 'Ana' }, phoneE164: null, companyId: 'c2' };
    expect(planMerge(rec, row, 'fill')).toBeNull();
    expect(planMerge({ ...rec, companyId: null }, row, 'fill')?.company).toEqual({ from: null, to: 'c2' });
  });

  test('update changes custom values and keeps what they replace, or that they were absent', () => {
    const plan = planMerge(
      { ...existing, custom: { birthday: '1990-01-01', tier: 'gold' } },
      { fields: {}, custom: { birthday: '1991-02-02', tier: 'gold', shoe: '42' }, phoneE164: null },
      'update',
    );
    expect(plan).toEqual({
      set: {},
      before: {},
      absent: [],
      custom: {
        set: { birthday: '1991-02-02', shoe: '42' },
        before: { birthday: '1990-01-01' },
        absent: ['shoe'],
      },
    });
  });

  test('fill writes only custom values the record lacks', () => {
    const plan = planMerge(
      { ...existing, custom: { birthday: '1990-01-01' } },
      { fields: {}, custom: { birthday: '1991-02-02', shoe: '42' }, phoneE164: null },
      'fill',
    );
    expect(plan?.custom).toEqual({ set: { shoe: '42' }, before: {}, absent: ['shoe'] });
  });

  test('the same custom values change nothing', () => {
    const plan = planMerge(
      { ...existing, custom: { birthday: '1990-01-01' } },
      { fields: {}, custom: { birthday: '1990-01-01' }, phoneE164: null },
      'update',
    );
    expect(plan).toBeNull();
  });
});
