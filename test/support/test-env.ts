import { randomBytes } from 'node:crypto';
import { withDatabaseName } from '../../src/config/mongo-uri';

function required(name: 'MONGODB_URI' | 'REDIS_URL'): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run integration tests through jest (test/setup/global-setup.ts sets it)`,
    );
  return value;
}

/** The run's MongoDB server with a database of the test's own, so test files never share data. */
export function testMongoUri(dbName: string): string {
  return withDatabaseName(required('MONGODB_URI'), dbName);
}

export function testRedisUrl(): string {
  return required('REDIS_URL');
}

/**
 * A name no other test file or run uses: letters, digits and `_` only, at most 63 characters, which
 * suits MongoDB and FerretDB database names, collection names and Bull prefixes alike.
 */
export function uniqueName(prefix: string): string {
  const safe = prefix.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40);
  return `${safe}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** A Bull `prefix` so the queues of concurrent test files (and runs) never see each other's jobs. */
export function testQueuePrefix(): string {
  return uniqueName('bull');
}
