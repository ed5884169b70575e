import { visibleReply } from './visible-reply';

describe('visibleReply', () => {
  it('drops the quoted history and keeps what the person wrote', () => {
    const text = [
      'Phone = Mobile number',
      'yes',
      '',
      'On Mon, Nov 23, 2026 at 6:14 PM Intake <intake@import.test> wrote:',
      '> To import with this mapping, reply "yes".',
      '> Notes = skip',
    ].join('\r\n');
    expect(visibleReply(text).trim()).toBe('Phone = Mobile number\nyes');
  });
  it('drops Outlook-style quoted headers too', () => {
    const text = 'ok\n\n-----Original Message-----\nFrom: Intake\nSent: Monday\n\nreply "yes"';
    expect(visibleReply(text).trim()).toBe('ok');
  });
});
