import { sniffLayout } from './file-sniffer';
import { tableVerdict } from './table-shape';

function verdictOf(text: string) {
  return tableVerdict(sniffLayout(Buffer.from(text), { utf8Valid: true, truncated: false }));
}

describe('tableVerdict', () => {
  it('accepts a header with rows of its width, also with trailing empty cells and a short row', () => {
    expect(verdictOf('Name,Email,Phone\nAna,ana@x.com,\nBo,bo@x.com,555 1234\nCy,cy@x.com\n')).toEqual({
      table: true,
    });
  });

  it('refuses meeting notes, though some of their lines hold commas', () => {
    const notes =
      'Weekly sync, 20 November\n' +
      'Attendees: Ana, Bo, Cy\n' +
      '- We agreed the budget for Q1\n' +
      '- Hiring: two people, maybe three, by March\n' +
      '- Next meeting on Thursday\n' +
      '- Bo to send the slides\n' +
      '- Cy books the room\n';
    expect(verdictOf(notes)).toMatchObject({ table: false });
  });

  it('refuses a first line that is a sentence', () => {
    const text =
      'Here are the notes from the call we had with the customer today, as promised\nok,fine\nyes,no\n';
    expect(verdictOf(text)).toEqual({
      table: false,
      reason: 'its first line reads as a sentence, not as column names.',
    });
  });

  it('refuses a single column, and a header with no rows', () => {
    expect(verdictOf('Email\nana@x.com\nbo@x.com\n')).toMatchObject({ table: false });
    expect(verdictOf('Name,Email,Phone\n')).toEqual({
      table: false,
      reason: 'it has a header line but no rows under it.',
    });
  });

  it('refuses when most rows are far from the header width', () => {
    const layout = {
      headers: ['a', 'b', 'c', 'd', 'e'],
      samples: [['1'], ['1', '2'], ['1', '2', '3', '4', '5']],
    };
    expect(tableVerdict(layout)).toEqual({
      table: false,
      reason: "only 1 of its first 3 lines have about as many values as its header's 5 columns.",
    });
  });

  it('lets sheet rows end early, since a sheet leaves out trailing empty cells', () => {
    const layout = { headers: ['a', 'b', 'c', 'd'], samples: [['1'], ['1', '2']] };
    const sheet = { sheet: 'S', part: 'p', sheets: ['S'] };
    expect(tableVerdict({ ...layout, workbook: sheet })).toEqual({ table: true });
    expect(tableVerdict(layout)).toMatchObject({ table: false });
  });
});
