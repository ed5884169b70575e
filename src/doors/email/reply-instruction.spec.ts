import { splitInstruction } from './reply-instruction';

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
