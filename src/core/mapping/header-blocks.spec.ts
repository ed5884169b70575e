import { addressBlock, blockOf } from './header-blocks';

describe('blockOf', () => {
  it.each([
    ['Business City', 'business'],
    ['Work ZipCode', 'business'],
    ['Ort geschäftlich', 'business'],
    ['Ville (bureau)', 'business'],
    ['Home Street', 'home'],
    ['Straße privat', 'home'],
    ['Rue (domicile)', 'home'],
    ['Other City', 'other'],
    ['Weiterer Ort', 'other'],
    ['Ciudad (otra)', 'other'],
    ['City', 'none'],
    ['Shipping City', 'none'],
  ] as const)('puts %s in the %s block', (header, block) => {
    expect(blockOf(header)).toBe(block);
  });
});

describe('addressBlock', () => {
  it('takes the business block when there is one', () => {
    expect(addressBlock(['home', 'business', 'none'], [true, true, true])).toBe('business');
  });

  it('takes plain columns before a home block', () => {
    expect(addressBlock(['home', 'none'], [true, true])).toBe('none');
  });

  it('falls back to the home block when it is the only one', () => {
    expect(addressBlock(['none', 'home'], [false, true])).toBe('home');
  });

  it('has no block without address columns', () => {
    expect(addressBlock(['business'], [false])).toBeNull();
  });
});
