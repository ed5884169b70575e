import { isActionable, parseReply } from './reply-command.parser';

const headers = ['First Name', 'E-Mail', 'Mobile number', 'Notes'];

describe('parseReply', () => {
  it.each(['yes', 'Yes!', 'OK.', 'ja', 'Oui', 'sí', 'confirm', 'yes please'])(
    'confirms with "%s"',
    (text) => {
      const cmd = parseReply(text, 'clients', headers);
      expect(cmd.confirm).toBe(true);
      expect(isActionable(cmd)).toBe(true);
    },
  );

  it('reads corrections as Field = Column, and Column = Field when only that fits, with = : -> →', () => {
    const cmd = parseReply(
      'Phone = Mobile number\nNotes -> skip\nE-Mail: email\n- first name → First Name',
      'clients',
      headers,
    );
    expect(cmd.corrections).toEqual([
      { header: 'Mobile number', field: 'phone' },
      { header: 'Notes', field: null },
      { header: 'E-Mail', field: 'email' },
      { header: 'First Name', field: 'firstName' },
    ]);
    expect(cmd.problems).toEqual([]);
  });

  it('reads options and ignores greetings and sign-offs', () => {
    const cmd = parseReply('Hi,\n\nduplicates: update\nDry run\n\nThanks!\nAna', 'clients', headers);
    expect(cmd).toMatchObject({ dryRun: true, onDuplicate: 'update', problems: [] });
    expect(isActionable(cmd)).toBe(true);
  });

  it('explains what it could not read, and is then not actionable', () => {
    const cmd = parseReply(
      'yes\nPhone = Handy\nplease put the surname somewhere sensible',
      'clients',
      headers,
    );
    expect(cmd.confirm).toBe(true);
    expect(cmd.problems).toEqual([
      'The file has no column "Handy" (in "Phone = Handy").',
      'I did not understand "please put the surname somewhere sensible".',
    ]);
    expect(isActionable(cmd)).toBe(false);
  });

  it('skips a field whatever column feeds it', () => {
    expect(parseReply('notes = skip', 'clients', ['Comments']).corrections).toEqual([
      { unmapField: 'notes' },
    ]);
  });

  it('a reply without any instruction is not actionable', () => {
    expect(isActionable(parseReply('Thanks', 'clients', headers))).toBe(false);
  });
});
