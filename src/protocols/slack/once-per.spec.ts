import { OncePer } from './once-per';

describe('OncePer', () => {
  it('says yes once per key within the time, then again after it', () => {
    const once = new OncePer(1000);
    expect(once.first('T9:C1', 0)).toBe(true);
    expect(once.first('T9:C1', 999)).toBe(false);
    expect(once.first('T9:C2', 999)).toBe(true);
    expect(once.first('T9:C1', 1000)).toBe(true);
  });

  it('forgets the oldest keys beyond its bound', () => {
    const once = new OncePer(1000, 2);
    once.first('a', 0);
    once.first('b', 0);
    once.first('c', 0);
    expect(once.first('a', 1)).toBe(true);
    expect(once.first('c', 1)).toBe(false);
  });
});
