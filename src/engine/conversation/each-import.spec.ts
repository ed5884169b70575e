import { IntakeError } from '../../core/intake-error';
import { eachImport } from './each-import';

const files = [{ fileName: 'a.csv' }, { fileName: 'b.csv' }, { fileName: 'c.csv' }];

test('a refusal of one import is told by its file name, and the others still act, in order', async () => {
  const acted: string[] = [];
  const lines = await eachImport(files, async (v) => {
    acted.push(v.fileName);
    if (v.fileName === 'b.csv') throw new IntakeError('conflict', 'it is running');
    return v.fileName === 'c.csv' ? 'c.csv: done' : null;
  });
  expect(acted).toEqual(['a.csv', 'b.csv', 'c.csv']);
  expect(lines).toEqual(['b.csv: it is running', 'c.csv: done']);
});

test('a failure that is nobody’s mistake stops the acts and is thrown', async () => {
  await expect(
    eachImport(files, async () => {
      throw new Error('database away');
    }),
  ).rejects.toThrow('database away');
});
