import { ChooseSheet } from '../../../src/engine/use-cases/choose-sheet/use-case';
import { Harness, startHarness } from '../../support/intake-harness';
import { twoSheetBook } from '../../support/workbooks';
import { acts, on, PERSON, people, propose, refusal } from './use-case-world';

let h: Harness;
let useCase: ChooseSheet;

beforeAll(async () => {
  h = await startHarness('uc_sheet');
  useCase = h.app.context.get(ChooseSheet);
});
afterAll(() => h.close());

test('a command naming no sheet is refused before the import is read', async () => {
  const e = await refusal(
    useCase.execute({ workspaceId: h.workspaceId, importId: 'nope', actor: PERSON, sheet: '' }),
  );
  expect(e.code).toBe('invalid_request');
  expect(e.message).toBe('Cannot choose the sheet: sheet: names no sheet.');
});

test('another sheet replaces the columns, and the history names who chose it', async () => {
  const book = await propose(h, await twoSheetBook(), PERSON, 'book.xlsx');
  expect(book.sheet).toBe('Leads');
  const chosen = await useCase.execute({ ...on(h, book), sheet: 'Clients' });
  expect(chosen.sheet).toBe('Clients');
  expect(chosen.columns.map((c) => c.header)).toEqual(['First Name', 'Email', 'Phone', 'Notes']);
  expect(acts(chosen)).toEqual([['choose_sheet', 'slack', 'U0PERSON']]);
});

test('a CSV has no sheet to choose', async () => {
  const csv = await propose(h, people(1, 'sheetless.example.com'));
  const e = await refusal(useCase.execute({ ...on(h, csv), sheet: 'Clients' }));
  expect(e.message).toMatch(/sheet/i);
  expect(e.code).not.toBe('invalid_request');
});
