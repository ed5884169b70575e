import {
  companiesChoice,
  duplicateChoice,
  isActionable,
  parseReply,
  splitInstruction,
  trimTrailing,
} from './reply-command.parser';

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

describe('reading a reply in bounded time', () => {
  const hostile = [
    `duplicates${' '.repeat(60_000)}x`,
    `a${'.!'.repeat(30_000)} x`,
    `Phone${' '.repeat(60_000)}x`,
    `${' '.repeat(60_000)}= x`,
    `1${'0'.repeat(60_000)}) yes`,
    'Phone = Mobile\n'.repeat(4_000),
  ];
  it.each(hostile.map((t, i) => [i, t] as const))(
    'finishes quickly on pathological text #%i (~60 KB)',
    (_i, text) => {
      const started = process.cpuUsage();
      parseReply(text, 'clients', headers);
      const used = process.cpuUsage(started);
      // Milliseconds in fact (it took ~4 s before); generous so a slow CI machine does not flake.
      expect((used.user + used.system) / 1000).toBeLessThan(1000);
    },
  );
});

describe('splitInstruction', () => {
  it.each([
    ['Phone = Mobile number', ['Phone', 'Mobile number']],
    ['Notes -> skip', ['Notes', 'skip']],
    ['E-Mail: email', ['E-Mail', 'email']],
    ['first name → First Name', ['first name', 'First Name']],
    ['a=>b', ['a', 'b']],
  ])('splits "%s" on its one separator', (line, parts) => {
    expect(splitInstruction(line)).toEqual(parts);
  });
  it.each(['a = b = c', 'a: b -> c', '= b', 'a =', 'no separator here'])('does not split "%s"', (line) => {
    expect(splitInstruction(line)).toBeNull();
  });
});

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

describe('trimTrailing', () => {
  it('drops only the listed characters at the end', () => {
    expect(trimTrailing('yes!!. ', '.! ')).toBe('yes');
    expect(trimTrailing('a.b', '.')).toBe('a.b');
    expect(trimTrailing('...', '.')).toBe('');
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

  it('counts as confirmation and is passed on', () => {
    const cmd = parseReply('companies: no', 'clients', ['Email', 'Employer']);
    expect(cmd.linkCompanies).toBe(false);
    expect(isActionable(cmd)).toBe(true);
  });
});
