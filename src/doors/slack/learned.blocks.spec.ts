import { forgottenText, learnedNote } from './learned.blocks';

const at = new Date('2026-03-04T10:00:00Z');

describe('learned notes in Slack', () => {
  it('names the file and the day a column was learned', () => {
    expect(learnedNote({ learnedFrom: { importId: 'imp_1', fileName: 'march.csv', at } })).toBe(
      '\n_Learned from `march.csv` (2026-03-04)_',
    );
    expect(learnedNote({})).toBe('');
    expect(learnedNote({ learnedFrom: { importId: null, fileName: null, at } })).toContain(
      'an earlier import',
    );
  });

  it('attack: a file name or header cannot mention the channel, link or break out of the note', () => {
    const note = learnedNote({ learnedFrom: { importId: 'imp_1', fileName: '<!channel>`_*x*_`.csv', at } });
    expect(note).not.toContain('<!channel>');
    expect(note).toContain('&lt;!channel&gt;');
    const told = forgottenText('U1', 'clients', '<https://evil.example|click>', 'notes', '<!here>.csv');
    expect(told).not.toMatch(/<https|<!here>/);
    expect(told.startsWith('<@U1> made the workspace forget *')).toBe(true);
  });
});
