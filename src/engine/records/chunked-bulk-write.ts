import type { mongo } from 'mongoose';

/**
 * Statements per update command. FerretDB 1.24 over PostgreSQL runs the statements of one update
 * command at once, ordered or not, each holding a pooled connection while it waits for another: with
 * more statements than its pool (50) every connection ends idle in ClientRead and the command never
 * returns (an update-mode import of 300 existing keys stayed at row 0). Measured: 150 statements
 * wedge it, 20 do not; 25 keeps well below the pool with room for the other writers.
 */
export const STATEMENTS_PER_COMMAND = 25;

/** Runs the operations as several small commands, one after the other. */
export async function bulkWriteInChunks(
  collection: mongo.Collection,
  ops: readonly mongo.AnyBulkWriteOperation[],
): Promise<void> {
  for (let i = 0; i < ops.length; i += STATEMENTS_PER_COMMAND) {
    await collection.bulkWrite(ops.slice(i, i + STATEMENTS_PER_COMMAND), { ordered: true });
  }
}
