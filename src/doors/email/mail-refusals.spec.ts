import { howToBody, setAsideBody, setAsideReason, tooComplexBody } from './mail-refusals';

describe('howToBody', () => {
  it('explains winmail.dat', () => {
    expect(howToBody('leads', 'leads@import.test', 'tnef').text).toContain('winmail.dat');
  });
});

describe('tooComplexBody', () => {
  it('says nothing was imported and how to send the files', () => {
    const { text } = tooComplexBody(10);
    expect(text).toContain('nothing was imported');
    expect(text).toContain('at most 10 in each message');
  });
});

describe('setAsideReason', () => {
  it('names what ended the earlier starts: the process, the time budget, or both', () => {
    expect(setAsideReason({ unfinished: 2, overran: 0 }, 300_000)).toBe('reading it stopped Intake twice');
    expect(setAsideReason({ unfinished: 2, overran: 2 }, 300_000)).toBe(
      'reading it took longer than 300 s, twice',
    );
    expect(setAsideReason({ unfinished: 3, overran: 1 }, 1000)).toBe(
      'reading it stopped Intake or took longer than 1 s, 3 times in all',
    );
  });
});

describe('setAsideBody', () => {
  it('says why, that nothing was imported, that it will not be tried again, and names the message', () => {
    const { text } = setAsideBody('reading it stopped Intake twice', 'abc123');
    expect(text).toContain(
      'Your message could not be processed: reading it stopped Intake twice, so it was set aside and nothing was imported.',
    );
    expect(text).toContain('It will not be tried again.');
    expect(text).toContain('look at message abc123.');
  });
});
