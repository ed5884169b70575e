import { replySubject, threadReferences, withDisplayName } from './outgoing-mail';

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

describe('sender', () => {
  it('names a bare address "Intake", so its quoted copy reads "From: Intake <…>"', () => {
    expect(withDisplayName('intake@import.test')).toEqual({ name: 'Intake', address: 'intake@import.test' });
    expect(withDisplayName('Imports <imports@example.com>')).toBe('Imports <imports@example.com>');
  });
});
