import { isBeyondParserLimits } from './inbound-reader';

describe('isBeyondParserLimits', () => {
  it("is mailparser's EMAXLEN refusal only", () => {
    expect(
      isBeyondParserLimits(Object.assign(new Error('Max child node count exceeded'), { code: 'EMAXLEN' })),
    ).toBe(true);
    expect(isBeyondParserLimits(new Error('FileNotFound'))).toBe(false);
    expect(isBeyondParserLimits(null)).toBe(false);
  });
});
