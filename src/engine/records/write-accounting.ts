import { mongo } from 'mongoose';
import { duplicateIndexes } from './mongo-errors';

/**
 * Seen with FerretDB 1.24 killed and restarted mid-batch: an insertMany that neither stored every
 * document nor reported the missing ones as errors. Counting what the server says it did catches that;
 * the batch is then retried from the last checkpoint (writes are idempotent), instead of counting rows
 * as imported that are not there.
 */
export function assertAllAccounted(op: string, sent: number, done: number, refused: number): void {
  if (done + refused !== sent) {
    throw new Error(
      `${op} accounted for ${done} + ${refused} refused of ${sent} documents; retrying the batch`,
    );
  }
}

/**
 * An unordered insertMany that the unique indexes may partly refuse: returns the indexes of the documents
 * refused as duplicates (anything else is thrown), after checking that the server accounted for every one.
 */
export async function insertRefusingDuplicates(
  collection: mongo.Collection,
  docs: readonly object[],
  op = 'insertMany',
): Promise<number[]> {
  if (!docs.length) return [];
  let inserted: number;
  let refused: number[] = [];
  try {
    inserted = (await collection.insertMany(docs as mongo.OptionalId<mongo.Document>[], { ordered: false }))
      .insertedCount;
  } catch (e) {
    refused = duplicateIndexes(e).filter((i) => i >= 0 && i < docs.length);
    inserted = (e as mongo.MongoBulkWriteError).insertedCount;
  }
  assertAllAccounted(op, docs.length, inserted, refused.length);
  return refused;
}
