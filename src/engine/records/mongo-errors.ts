import { mongo } from 'mongoose';

const DUPLICATE_KEY = 11000;

/**
 * Indexes of the operations a bulk write refused as duplicates. Anything else is a real error and is
 * rethrown, so callers only ever handle "the unique index said no".
 */
export function duplicateIndexes(e: unknown): number[] {
  if (!(e instanceof mongo.MongoBulkWriteError)) throw e;
  const errors = [e.writeErrors].flat();
  if (errors.some((w) => w.code !== DUPLICATE_KEY)) throw e;
  return errors.map((w) => w.index);
}
