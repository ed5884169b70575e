import type { ImportView } from '../../engine/imports/import-view';
import { howToAnswer, replyLinesText } from './mail-next-step';
import { parseReply } from './reply-command.parser';
import { changesFor } from './reply-corrections';
import { importView } from '../../engine/conversation/import-view.fixture';

const view = (over: Partial<ImportView> = {}): ImportView =>
  importView({
    columns: [
      { index: 0, header: 'Name', field: 'firstName', confidence: 1, samples: [] },
      { index: 1, header: 'Mail', field: 'email', confidence: 1, samples: [] },
      { index: 2, header: 'Office phone', field: 'phone', confidence: 0.9, samples: [] },
      { index: 3, header: 'Mobile', field: 'phone', confidence: 0.8, samples: [] },
      { index: 4, header: 'Notes', field: null, confidence: 0, samples: [] },
    ],
    ...over,
  });

describe('the next step', () => {
  it('offers "yes" only when yes would start', () => {
    expect(howToAnswer([view()])[0]).toBe('To import with this mapping, reply "yes".');
    const blocked = howToAnswer([view({ conflicts: [{ field: 'phone', columns: [2, 3] }] })]).join('\n');
    expect(blocked).not.toContain('"yes"');
    expect(blocked).toContain('"Office phone" and "Mobile" are both mapped to Phone: reply "Phone = Mobile"');
  });

  it('names the replies that choose the sheet, change the type and cancel, as the conversation offers them', () => {
    const book = view({
      sheet: 'Clients',
      sheets: ['Clients', 'Leads'],
      actions: [
        { kind: 'choose_sheet', label: 'Choose the sheet', choices: ['Clients', 'Leads'] },
        { kind: 'change_type', label: 'Change the type', choices: ['leads', 'companies'] },
        { kind: 'cancel', label: 'Cancel import' },
      ],
    });
    const text = howToAnswer([book]).join('\n');
    expect(text).toContain('To read another sheet ("Leads"), reply "Sheet = Leads".');
    expect(text).toContain(
      'To import the rows as leads or companies instead of clients, reply "Type = leads".',
    );
    expect(text).toContain('To cancel, reply "cancel".');
  });

  it('names the reply that fills a missing required field', () => {
    const text = howToAnswer([view({ missingRequired: ['email'] })]).join('\n');
    expect(text).toContain('Email is required but no column is mapped to it: reply "Email = Notes".');
    expect(text).not.toContain('"yes"');
  });

  it('reads the reply back line by line', () => {
    const cmd = parseReply('Hi\nyes\nNotes please', 'clients', ['Notes']);
    expect(replyLinesText(cmd)).toEqual([
      'Your reply, line by line:',
      '  · "Hi": no instruction (ignored)',
      '  ✓ "yes": Confirmed.',
      '  ✗ "Notes please": "Notes please" names "Notes", but I could not tell what to do with it.',
    ]);
  });

  it('says so when the reply held no instruction at all', () => {
    expect(replyLinesText(parseReply('Thanks!\nAna', 'clients', []))).toContain(
      'I found no instruction in it.',
    );
  });
});

describe('applying "Field = Column"', () => {
  it('moves the field: the column that held it becomes unmapped', () => {
    expect(changesFor(view(), [{ header: 'Mobile', field: 'phone' }])).toEqual({
      Mobile: 'phone',
      'Office phone': null,
    });
  });
  it('keeps a column the same reply maps to that field too', () => {
    expect(
      changesFor(view(), [
        { header: 'Mobile', field: 'phone' },
        { header: 'Office phone', field: 'notes' },
      ]),
    ).toEqual({ Mobile: 'phone', 'Office phone': 'notes' });
  });
  it('a field skipped leaves every column that held it', () => {
    expect(changesFor(view(), [{ unmapField: 'phone' }])).toEqual({ 'Office phone': null, Mobile: null });
  });
});
