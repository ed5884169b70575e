import { endsInstructions, plainWords } from './reply-phrases';

describe('plainWords', () => {
  it('folds letters that have no accent to drop: ß, æ, ø, ł', () => {
    expect(plainWords('Grüße, Straße')).toEqual(['grusse', 'strasse']);
    expect(plainWords('Søren Æble Łódź')).toEqual(['soren', 'aeble', 'lodz']);
  });
});

describe('endsInstructions', () => {
  it.each([
    'Viele Grüße',
    'Mit freundlichen Grüßen',
    'Liebe Grüße!',
    'Beste Grüße,',
    'Met vriendelijke groet,',
    'Med venlig hilsen',
    'Med vänliga hälsningar',
    'Pozdrawiam',
    'Cordiali saluti',
    'Atenciosamente,',
    'С уважением,',
    'Verzonden vanaf mijn iPhone',
  ])('stops at "%s"', (line) => {
    expect(endsInstructions(plainWords(line))).toBe(true);
  });
});
