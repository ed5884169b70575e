import { replySubject, threadReferences } from './outgoing-mail';

describe('threading', () => {
  it('adds "Re:" once', () => {
    expect(replySubject('Clients')).toBe('Re: Clients');
    expect(replySubject('RE: Clients')).toBe('RE: Clients');
    expect(replySubject('AW: Kunden')).toBe('AW: Kunden');
    expect(replySubject('a\r\nBcc: x')).toBe('Re: a Bcc: x');
    expect(replySubject('')).toBe('Re: your import');
  });
  it('references the thread and the message answered, without repeats', () => {
    expect(threadReferences(['<a@x>', '<b@x>'], '<c@x>')).toEqual(['<a@x>', '<b@x>', '<c@x>']);
    expect(threadReferences(['<a@x>'], '<a@x>')).toEqual(['<a@x>']);
  });
});
