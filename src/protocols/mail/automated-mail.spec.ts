import { automatedReason, parseHeaderBlock } from './automated-mail';

const h = (raw: string) => parseHeaderBlock(`${raw}\r\n\r\nbody`);

describe('automatedReason', () => {
  it('lets a person through', () => {
    expect(
      automatedReason('ana@example.com', 'ana@example.com', h('Subject: hi\r\nAuto-Submitted: no')),
    ).toBeNull();
  });
  it.each([
    ['', 'ana@example.com', 'Subject: x', 'null sender'],
    ['mailer-daemon@example.com', 'x@example.com', 'Subject: x', 'mailer daemon'],
    ['ana@example.com', 'Postmaster@example.com', 'Subject: x', 'mailer daemon'],
    ['ana@example.com', 'ana@example.com', 'Auto-Submitted: auto-replied', 'Auto-Submitted: auto-replied'],
    ['ana@example.com', 'ana@example.com', 'Precedence: Bulk', 'Precedence: bulk'],
    ['ana@example.com', 'ana@example.com', 'List-Id: <x.example.com>', 'mailing list'],
    [
      'ana@example.com',
      'ana@example.com',
      'Content-Type: multipart/report;\r\n report-type=delivery-status',
      'delivery report',
    ],
  ])('never answers %s / %s / %s', (env, from, headers, reason) => {
    expect(automatedReason(env, from, h(headers))).toBe(reason);
  });
  it('unfolds headers and keeps the first of each', () => {
    expect(h('Subject: a\r\n b\r\nSubject: c').get('subject')).toBe('a b');
  });
});
