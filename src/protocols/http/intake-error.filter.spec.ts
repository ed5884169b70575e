import { bodyReadingError } from './intake-error.filter';

/** Shaped as Express's body parsers shape their errors (http-errors). */
function parserError(status: number, type: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error('raw parser message'), { status, type, expose: true, ...extra });
}

describe('bodyReadingError', () => {
  it('answers a body over the limit with 413 and names the limit', () => {
    expect(bodyReadingError(parserError(413, 'entity.too.large', { limit: 102400 }))).toEqual({
      status: 413,
      code: 'body_too_large',
      message: 'The request body is larger than the limit (100 KiB).',
    });
  });

  it('answers other unreadable bodies with their own 4xx status', () => {
    expect(bodyReadingError(parserError(415, 'encoding.unsupported'))).toMatchObject({
      status: 415,
      code: 'invalid_request',
    });
  });

  it('leaves every other error alone', () => {
    expect(bodyReadingError(new Error('boom'))).toBeNull();
    expect(bodyReadingError(parserError(500, 'stream.not.readable', { expose: false }))).toBeNull();
    expect(bodyReadingError(null)).toBeNull();
  });
});
