import { isActionable } from './reply-command';
import { parseReply } from './reply-command.parser';

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

  it('reads "Birthday = keep" and "Birthday = custom.born" as custom fields', () => {
    const cmd = parseReply('Birthday = keep\nShoe: custom.shoe size', 'clients', [
      'Email',
      'Birthday',
      'Shoe',
    ]);
    expect(cmd.corrections).toEqual([
      { header: 'Birthday', field: 'custom' },
      { header: 'Shoe', field: 'custom.shoeSize' },
    ]);
  });

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
      'I could not read "put the surname somewhere sensible": name a column of the file and a field of clients, e.g. "map Mobile to Phone".',
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

describe('natural replies', () => {
  const read = (text: string, h: readonly string[] = headers) => parseReply(text, 'clients', h);

  it.each([
    'Looks good, thanks',
    '👍',
    '✅',
    '👍🏽',
    'Sure',
    'Approved',
    'lgtm',
    'Go ahead!',
    'Yes please, thanks a lot',
    'passt',
    'Ja, passt so. Danke!',
    "d'accord",
    "C'est bon, merci",
    'Vale',
    'Sí, adelante',
    'de acuerdo, gracias',
  ])('confirms with "%s"', (text) => {
    const cmd = read(text);
    expect(cmd).toMatchObject({ confirm: true, problems: [], corrections: [] });
    expect(isActionable(cmd)).toBe(true);
  });

  it.each([
    ['Yes but skip Notes', [{ header: 'Notes', field: null }]],
    ['yes, skip Notes', [{ header: 'Notes', field: null }]],
    ["Looks good. Don't import Notes.", [{ header: 'Notes', field: null }]],
    ['ok - map Mobile number to phone', [{ header: 'Mobile number', field: 'phone' }]],
    ['Yes!!   but skip Notes', [{ header: 'Notes', field: null }]],
    ['ok   -   skip Notes...', [{ header: 'Notes', field: null }]],
  ] as const)('keeps the correction inside a confirmation: "%s"', (text, fixes) => {
    const cmd = read(text);
    expect(cmd.confirm).toBe(true);
    expect(cmd.corrections).toEqual(fixes);
    expect(cmd.problems).toEqual([]);
  });

  it.each([
    ['skip "Notes" and \'E-Mail\'', ['Notes', 'E-Mail']],
    ['skip Notes , E-Mail', ['Notes', 'E-Mail']],
    ['skip «Notes»  &  “E-Mail”', ['Notes', 'E-Mail']],
  ] as const)('skips every column of the list "%s"', (text, skipped) => {
    const cmd = read(text);
    expect(cmd.corrections).toEqual(skipped.map((header) => ({ header, field: null })));
    expect(cmd.problems).toEqual([]);
  });

  it('reads "yes" with a correction on the next line as both', () => {
    const cmd = read('yes\nskip Notes');
    expect(cmd).toMatchObject({ confirm: true, corrections: [{ header: 'Notes', field: null }] });
  });

  it.each([
    ['skip Notes', { header: 'Notes', field: null }],
    ["don't import Notes", { header: 'Notes', field: null }],
    ['do not import the Notes column', { header: 'Notes', field: null }],
    ['Notes nicht importieren', { header: 'Notes', field: null }],
    ['ignorer Notes', { header: 'Notes', field: null }],
    ['no importar Notes', { header: 'Notes', field: null }],
    ['map Mobile number to phone', { header: 'Mobile number', field: 'phone' }],
    ['phone should be the Mobile number column', { header: 'Mobile number', field: 'phone' }],
    ['use Mobile number for Phone', { header: 'Mobile number', field: 'phone' }],
    ['Mobile number should be phone', { header: 'Mobile number', field: 'phone' }],
    ['"Mobile number" → Phone', { header: 'Mobile number', field: 'phone' }],
    ['Mobile number als Phone', { header: 'Mobile number', field: 'phone' }],
  ] as const)('reads the correction "%s"', (text, fix) => {
    const cmd = read(text);
    expect(cmd.corrections).toEqual([fix]);
    expect(cmd.problems).toEqual([]);
  });

  it('skips several columns named in one line', () => {
    expect(read('skip Notes and First Name').corrections).toEqual([
      { header: 'Notes', field: null },
      { header: 'First Name', field: null },
    ]);
  });

  it.each([
    ['use update for duplicates', 'update'],
    ['update duplicates', 'update'],
    ['please update existing records', 'update'],
    ['Duplikate überschreiben', 'update'],
    ['mettre à jour les doublons', 'update'],
    ['skip duplicates', 'skip'],
  ] as const)('reads the duplicates choice in "%s"', (text, choice) => {
    expect(read(text)).toMatchObject({ onDuplicate: choice, problems: [] });
  });

  it.each(['dry run first', 'Do a test run please', 'Testlauf bitte', 'prueba primero'])(
    'reads a dry run in "%s"',
    (text) => {
      expect(read(text)).toMatchObject({ dryRun: true, problems: [] });
    },
  );

  it.each(['undo', 'Please roll it back', 'rückgängig machen', 'deshacer'])(
    'asks to undo with "%s"',
    (text) => {
      expect(read(text)).toMatchObject({ undo: true, confirm: false, problems: [] });
    },
  );

  it.each(['Cancel', 'no thanks', 'abbrechen', 'annuler', 'cancelar'])('cancels with "%s"', (text) => {
    expect(read(text)).toMatchObject({ cancel: true, problems: [] });
  });

  it('never starts when a line names a column it could not apply', () => {
    const cmd = read('yes\nNotes somewhere else');
    expect(cmd.problems).toEqual([
      '"Notes somewhere else" names "Notes", but I could not tell what to do with it.',
    ]);
    expect(isActionable(cmd)).toBe(false);
  });

  it('a confirmation with a correction it cannot apply starts nothing and says why', () => {
    const cmd = read('Yes but skip Handy');
    expect(cmd.problems).toEqual(['"Handy": neither a column of the file nor a field of clients.']);
    expect(isActionable(cmd)).toBe(false);
    expect(cmd.lines).toEqual([
      {
        text: 'Yes but skip Handy',
        status: 'not_understood',
        notes: ['Confirmed.', '"Handy": neither a column of the file nor a field of clients.'],
      },
    ]);
  });

  it('tells line by line what was understood, what was not and what was ignored', () => {
    const cmd = read('Hi,\nskip Notes\nput the surname somewhere sensible please\nThanks');
    expect(cmd.lines.map((l) => [l.text, l.status])).toEqual([
      ['Hi', 'ignored'],
      ['skip Notes', 'understood'],
      ['put the surname somewhere sensible please', 'not_understood'],
      ['Thanks', 'ignored'],
    ]);
  });

  it('stops reading at a sign-off or a mobile footer, so a signature is never an instruction', () => {
    const cmd = read('yes\n\nBest regards,\nAna Garcia\nPhone: +34 612 345 678\nNotes: none');
    expect(cmd).toMatchObject({ confirm: true, problems: [], corrections: [] });
    const mobile = read('Sure\n\nSent from my iPhone\nskip Notes');
    expect(mobile).toMatchObject({ confirm: true, corrections: [] });
  });

  it('does not take a signature contact line for a correction', () => {
    expect(read('ok\nAna Garcia\nPhone: +34 612 345 678\nwww.example.com')).toMatchObject({
      confirm: true,
      problems: [],
    });
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
    `${'yes, skip Notes and '.repeat(30)}\n`.repeat(200),
    `map ${'a to b as c for '.repeat(40)}\n`.repeat(200),
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

describe('a sheet chosen by reply', () => {
  it('is read before corrections and is enough to act on', () => {
    const cmd = parseReply('Sheet = Clients\nPhone = Mobile number', 'clients', headers);
    expect([cmd.sheet, cmd.corrections.length, cmd.problems]).toEqual(['Clients', 1, []]);
    expect(isActionable(parseReply('sheet: Leads', 'clients', headers))).toBe(true);
  });
});

describe('company linking chosen by reply', () => {
  it('counts as confirmation and is passed on', () => {
    const cmd = parseReply('companies: no', 'clients', ['Email', 'Employer']);
    expect(cmd.linkCompanies).toBe(false);
    expect(isActionable(cmd)).toBe(true);
  });
});

describe('fill and company linking in plain words', () => {
  const cols = ['Email', 'Company'];
  it.each([
    ['fill duplicates', 'fill'],
    ['use fill for duplicates', 'fill'],
    ['fill existing records', 'fill'],
    ['update duplicates', 'update'],
  ] as const)('reads "%s" as the duplicates choice %s', (line, choice) => {
    expect(parseReply(line, 'clients', cols).onDuplicate).toBe(choice);
  });

  it('reads a confirmation and a company choice on one line', () => {
    const cmd = parseReply('Yes but companies: no', 'clients', cols);
    expect([cmd.confirm, cmd.linkCompanies, cmd.problems]).toEqual([true, false, []]);
  });
});

describe('the type and a retry, by reply', () => {
  it('reads "Type = companies" and its variants as a change of type', () => {
    expect(parseReply('Type = companies', 'clients', ['Name']).type).toBe('companies');
    expect(parseReply('type: lead', 'clients', ['Name']).type).toBe('leads');
    const cmd = parseReply('Type = companies\nyes', 'clients', ['Name']);
    expect(cmd.type).toBe('companies');
    expect(cmd.confirm).toBe(true);
    expect(isActionable(cmd)).toBe(true);
    expect(parseReply('Type = invoices', 'clients', ['Name']).type).toBeUndefined();
  });

  it('reads "retry" and "try again" as a retry', () => {
    expect(parseReply('retry', 'clients', []).retry).toBe(true);
    expect(parseReply('Please try again, thanks', 'clients', []).retry).toBe(true);
    expect(isActionable(parseReply('retry', 'clients', []))).toBe(true);
  });
});

describe('forgetting a learned mapping', () => {
  const cols = ['First Name', 'Email', 'Kunden Mail'];

  it('reads "Forget <column>" as the column to forget, quoted or not, and nothing to start', () => {
    const cmd = parseReply('Forget Email\nforget "Kunden Mail"', 'clients', cols);
    expect(cmd.forget).toEqual(['Email', 'Kunden Mail']);
    expect(cmd.understood).toEqual([
      'Forget what was learned for "Email".',
      'Forget what was learned for "Kunden Mail".',
    ]);
    expect([cmd.confirm, cmd.cancel, cmd.problems]).toEqual([false, false, []]);
    expect(isActionable(cmd)).toBe(true);
  });

  it('keeps "forget it" a cancellation: only a column of the file is forgotten', () => {
    const cmd = parseReply('forget it', 'clients', cols);
    expect(cmd.cancel).toBe(true);
    expect(cmd.forget).toBeUndefined();
  });

  it('does not read a name that is no column of the file as one to forget', () => {
    expect(parseReply('Forget Phone', 'clients', cols).forget).toBeUndefined();
  });
});
