// mongodb:// URIs may list several hosts ("a:1,b:2"), which WHATWG URL cannot parse: split by hand.
const MONGO_URI = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/([^?]*))?(\?.*)?$/;

/** The same URI pointing at another database; the query string (options) is kept. */
export function withDatabaseName(uri: string, dbName: string): string {
  const match = MONGO_URI.exec(uri);
  if (!match) throw new Error(`not a MongoDB connection string: ${uri}`);
  const [, base = '', , query = ''] = match;
  return `${base}/${encodeURIComponent(dbName)}${query}`;
}

/** The database named in the URI, or undefined when it names none. */
export function databaseNameOf(uri: string): string | undefined {
  const match = MONGO_URI.exec(uri);
  const name = match?.[2];
  return name ? decodeURIComponent(name) : undefined;
}

/**
 * Where a URI points, fit to show: scheme, hosts and database, without the credentials or the options
 * (an option such as tlsCertificateKeyFilePassword can hold a secret too).
 */
export function mongoLocation(uri: string, dbName: string): string {
  // Credentials end at the last @ before the path: a valid URI escapes any @ or / inside them.
  const match = MONGO_URI.exec(uri.replace(/^(mongodb(?:\+srv)?:\/\/)[^/]*@/, '$1'));
  return match ? `${match[1] ?? ''}/${dbName}` : `(unreadable URI)/${dbName}`;
}
