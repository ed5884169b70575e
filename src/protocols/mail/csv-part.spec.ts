import { classifyPart, looksLikeCsv } from './csv-part';

const utf16 = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);

describe('classifyPart', () => {
  it('goes by name and content, not Content-Type', () => {
    expect(classifyPart('people.csv', 'application/octet-stream', Buffer.from('PK\u0003\u0004'))).toBe('csv');
    expect(classifyPart('book.xlsx', 'application/zip', Buffer.from('PK'))).toBe('csv');
    expect(classifyPart('export', 'application/octet-stream', Buffer.from('a,b\n1,2\n'))).toBe('csv');
    expect(classifyPart('', 'text/plain', utf16('a\tb\r\n1\t2\r\n'))).toBe('csv');
    expect(classifyPart('notes.txt', 'text/csv', Buffer.from('just a note'))).toBe('ignore');
    expect(classifyPart('logo.png', 'text/csv', Buffer.from('a,b\n1,2\n'))).toBe('ignore');
  });
  it('recognises forwarded messages and winmail.dat', () => {
    expect(classifyPart('Fwd.eml', 'application/octet-stream', Buffer.from(''))).toBe('message');
    expect(classifyPart('', 'message/rfc822', Buffer.from(''))).toBe('message');
    expect(classifyPart('winmail.dat', 'application/octet-stream', Buffer.from(''))).toBe('tnef');
  });
  it('wants two lines sharing a delimiter and no NUL bytes', () => {
    expect(looksLikeCsv(Buffer.from('a;b\n1;2'))).toBe(true);
    expect(looksLikeCsv(Buffer.from('a,b'))).toBe(false);
    expect(looksLikeCsv(Buffer.from('a,b\n1\u00002'))).toBe(false);
  });
});

describe('a workbook under any name', () => {
  it('is taken for its bytes: a ZIP naming xl/ parts', () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('....xl/workbook.xml')]);
    expect(classifyPart('export.dat', 'application/octet-stream', zip)).toBe('csv');
    expect(classifyPart('book.xlsm', 'application/octet-stream', Buffer.alloc(0))).toBe('csv');
    const word = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('....word/document.xml')]);
    expect(classifyPart('letter.docx', 'application/octet-stream', word)).toBe('ignore');
  });
});
