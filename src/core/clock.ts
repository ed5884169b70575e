import { randomBytes } from 'node:crypto';

/** Injected wherever time or ids matter, so tests control them. */
export interface Clock {
  now(): Date;
}
export const CLOCK = Symbol('CLOCK');
export const systemClock: Clock = { now: () => new Date() };

export interface IdGenerator {
  importId(): string;
  secret(bytes?: number): string;
}
export const ID_GENERATOR = Symbol('ID_GENERATOR');
export const randomIds: IdGenerator = {
  importId: () => `imp_${randomBytes(9).toString('base64url')}`,
  secret: (bytes = 32) => randomBytes(bytes).toString('base64url'),
};
