import { companiesChoice, duplicateChoice, sheetChoice } from './reply-choices';

describe('duplicateChoice', () => {
  it.each([
    ['duplicates: update', 'update'],
    ['Duplicates = overwrite', 'update'],
    ['on-duplicate -> skip', 'skip'],
    ['duplicate keep', 'skip'],
    ['DUPLICATES:merge', 'update'],
    ['duplicates: fill', 'fill'],
  ] as const)('reads "%s" as %s', (line, choice) => {
    expect(duplicateChoice(line)).toBe(choice);
  });
  it.each(['duplicates: maybe', 'no duplicates please', 'duplicates'])('reads nothing in "%s"', (line) => {
    expect(duplicateChoice(line)).toBeNull();
  });
});

describe('sheetChoice', () => {
  it.each([
    ['Sheet = Clients', 'Clients'],
    ['sheet: 2', '2'],
    ['SHEET -> Q1 = final', 'Q1 = final'],
  ])('reads "%s" as the sheet %s', (line, sheet) => {
    expect(sheetChoice(line)).toBe(sheet);
  });
});

describe('companiesChoice', () => {
  it.each([
    ['companies: no', false],
    ['Link companies = off', false],
    ['company: yes', true],
    ['companies: maybe', null],
    ['Company = Employer', null],
  ] as const)('reads "%s" as %s', (line, choice) => {
    expect(companiesChoice(line)).toBe(choice);
  });
});
