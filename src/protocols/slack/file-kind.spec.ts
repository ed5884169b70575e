import { fileKind, shareTs } from './file-kind';

describe('fileKind', () => {
  it('takes .csv, .tsv and .txt names as CSV, whatever the mimetype says', () => {
    expect(fileKind({ id: 'F1', name: 'people.csv', mimetype: 'application/vnd.ms-excel' })).toBe('csv');
    expect(fileKind({ id: 'F1', name: 'people.tsv' })).toBe('csv');
    expect(fileKind({ id: 'F1', name: 'export', filetype: 'csv' })).toBe('csv');
    expect(fileKind({ id: 'F1', name: 'export', mimetype: 'text/plain' })).toBe('csv');
  });

  it('recognises Excel and other workbooks', () => {
    expect(fileKind({ id: 'F1', name: 'people.xlsx' })).toBe('spreadsheet');
    expect(fileKind({ id: 'F1', name: 'people', filetype: 'xls' })).toBe('spreadsheet');
    expect(
      fileKind({
        id: 'F1',
        name: 'people',
        mimetype: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      }),
    ).toBe('spreadsheet');
    expect(fileKind({ id: 'F1', name: 'sheet.numbers' })).toBe('spreadsheet');
  });

  it('calls anything else other', () => {
    expect(fileKind({ id: 'F1', name: 'photo.png', mimetype: 'image/png', filetype: 'png' })).toBe('other');
    expect(fileKind({ id: 'F1', name: 'contract.pdf', mimetype: 'application/pdf' })).toBe('other');
  });
});

describe('shareTs', () => {
  it('finds the sharing message in a public or private channel', () => {
    expect(shareTs({ id: 'F1', shares: { public: { C1: [{ ts: '1.2' }] } } }, 'C1')).toBe('1.2');
    expect(shareTs({ id: 'F1', shares: { private: { G1: [{ ts: '3.4', thread_ts: '1.0' }] } } }, 'G1')).toBe(
      '1.0',
    );
    expect(shareTs({ id: 'F1' }, 'C1')).toBeUndefined();
  });
});
