import {
  elapsedText,
  numberCellText,
  plainNumber,
  serialToIso,
  styleOfFormat,
  unescapeCellText,
} from './cell-text';

describe('styleOfFormat', () => {
  it.each([
    [14, undefined, 'date'],
    [22, undefined, 'datetime'],
    [20, undefined, 'time'],
    [9, undefined, 'percent'],
    [0, undefined, 'number'],
    [164, 'dd/mm/yyyy', 'date'],
    [164, 'mmm yyyy', 'date'],
    [164, 'yyyy-mm-dd hh:mm', 'datetime'],
    [164, '[h]:mm:ss', 'elapsed-hms'],
    [164, '[hh]:mm', 'elapsed-hm'],
    [164, '[Red][h]:mm:ss', 'elapsed-hms'],
    [164, '[mm]:ss', 'elapsed-ms'],
    [164, '[ss]', 'elapsed-s'],
    [46, undefined, 'elapsed-hms'],
    [164, 'h:mm AM/PM', 'time'],
    [164, '0.00%', 'percent'],
    [164, '"Day" 0', 'number'],
    [164, '[Red]#,##0;[Blue]-#,##0', 'number'],
    [164, 'General', 'number'],
    [164, '[$-409]dd/mm/yyyy', 'date'],
    [164, '[h:mm', 'time'],
  ] as const)('reads format %s "%s" as %s', (id, code, style) => {
    expect(styleOfFormat(id, code)).toBe(style);
  });

  it('reads a code longer than Excel allows by its first 255 characters', () => {
    expect(styleOfFormat(164, `${'0'.repeat(255)} yyyy`)).toBe('number');
    expect(styleOfFormat(164, `${'0'.repeat(250)} yyyy`)).toBe('date');
  });
});

describe('serialToIso', () => {
  it('counts the 1900 system around its phantom 29 February', () => {
    expect(serialToIso(1, 'date', false)).toBe('1900-01-01');
    expect(serialToIso(59, 'date', false)).toBe('1900-02-28');
    expect(serialToIso(61, 'date', false)).toBe('1900-03-01');
    expect(serialToIso(45356, 'date', false)).toBe('2024-03-05');
  });

  it('counts the 1904 system from 1 January 1904', () => {
    expect(serialToIso(0, 'date', true)).toBe('1904-01-01');
    expect(serialToIso(45356 - 1462, 'date', true)).toBe('2024-03-05');
  });

  it('shows times to the second, without float noise', () => {
    expect(serialToIso(45356.604166666664, 'datetime', false)).toBe('2024-03-05T14:30:00');
    expect(serialToIso(0.75, 'time', false)).toBe('18:00:00');
  });

  it('is no date past 9999-12-31 or before the epoch', () => {
    expect(serialToIso(3_000_000, 'date', false)).toBeNull();
    expect(serialToIso(-1, 'date', false)).toBeNull();
    expect(numberCellText('-1', 'date', false)).toBe('-1');
  });
});

describe('numbers as people typed them', () => {
  it.each([
    ['14155550123', '14155550123'],
    ['1.4155550123E10', '14155550123'],
    ['0.30000000000000004', '0.3'],
    ['-12.5', '-12.5'],
    ['1E-7', '1e-7'],
  ])('shows %s as %s', (raw, text) => {
    expect(numberCellText(raw, 'number', false)).toBe(text);
  });

  it('shows a percent format as a percent', () => {
    expect(numberCellText('0.125', 'percent', false)).toBe('12.5%');
  });

  it('keeps every digit of a large integer', () => {
    expect(plainNumber(123456789012345)).toBe('123456789012345');
  });
});

describe('elapsed time', () => {
  it('counts hours past a day, as Excel shows [hh]:mm:ss, never a date', () => {
    expect(numberCellText('10.6320601851852', 'elapsed-hms', false)).toBe('255:10:10');
    expect(numberCellText('10.6320601851852', 'elapsed-hm', false)).toBe('255:10');
    expect(numberCellText('0.0423611111111111', 'elapsed-ms', false)).toBe('61:00');
    expect(numberCellText('0.5', 'elapsed-s', false)).toBe('43200');
    expect(elapsedText(-0.25, 'elapsed-hms')).toBe('-6:00:00');
  });
});

describe('unescapeCellText', () => {
  it('reads _xHHHH_ as its character and _x005F_ as an underscore', () => {
    expect(unescapeCellText('ABC_x000D_DEF')).toBe('ABC\rDEF');
    expect(unescapeCellText('a_x005F_b')).toBe('a_b');
    expect(unescapeCellText('_x005F_x000D_')).toBe('_x000D_');
    expect(unescapeCellText('Tab_x0009_bed _x00e9_t_x00E9_')).toBe('Tab\tbed été');
    expect(unescapeCellText('_x12_ and _xZZZZ_ stay')).toBe('_x12_ and _xZZZZ_ stay');
  });
});
