import { mongo } from 'mongoose';

/** GridFS's default chunk size: a file written here reads like any other GridFS file. */
export const CHUNK_BYTES = 255 * 1024;
/** Chunks per insert, and inserts in flight: FerretDB's cost is per command more than per byte. */
const CHUNKS_PER_INSERT = 4;
const INSERTS_IN_FLIGHT = 4;

export interface GridFsEntry {
  filename: string;
  metadata: Record<string, unknown>;
}

/**
 * Writes a GridFS file (bucket `bucket`) under `id`: its chunks, several per insert and several inserts
 * at once (the driver's upload stream sends one chunk per round trip, ~2.7× slower on FerretDB), then
 * its entry, which readers look for first, so a file without its entry is one being written or lost.
 * Any failure removes the chunks written. At most CHUNKS_PER_INSERT × INSERTS_IN_FLIGHT chunks (4 MB)
 * are held at once. Returns the file's length.
 */
export async function writeGridFsFile(
  db: mongo.Db,
  bucket: string,
  id: mongo.ObjectId,
  source: AsyncIterable<Buffer>,
  entry: GridFsEntry,
): Promise<number> {
  const chunks = db.collection(`${bucket}.chunks`);
  await ensureIndexes(db, bucket);
  const inFlight = new Set<Promise<unknown>>();
  let failure: unknown;
  const send = (docs: mongo.Document[]) => {
    const p: Promise<unknown> = chunks
      .insertMany(docs, { ordered: false })
      .catch((e: unknown) => (failure ??= e))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  let n = 0;
  let length = 0;
  let batch: mongo.Document[] = [];
  try {
    for await (const data of fixedChunks(source, CHUNK_BYTES)) {
      batch.push({ files_id: id, n: n++, data: new mongo.Binary(data) });
      length += data.length;
      if (batch.length < CHUNKS_PER_INSERT) continue;
      send(batch);
      batch = [];
      while (inFlight.size >= INSERTS_IN_FLIGHT) await Promise.race(inFlight);
      if (failure) throw failure;
    }
    if (batch.length) send(batch);
    while (inFlight.size) await Promise.race(inFlight);
    if (failure) throw failure;
    await db.collection(`${bucket}.files`).insertOne({
      _id: id,
      length,
      chunkSize: CHUNK_BYTES,
      uploadDate: new Date(),
      filename: entry.filename,
      metadata: entry.metadata,
    });
    return length;
  } catch (e) {
    // Every insert has settled before the chunks are removed, so none lands after.
    await Promise.allSettled([...inFlight]);
    await chunks.deleteMany({ files_id: id }).catch(() => undefined);
    throw e;
  }
}

/** Re-cuts a byte stream into pieces of exactly `size` bytes (the last one shorter). */
export async function* fixedChunks(source: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const piece of source) {
    let rest = piece;
    while (pendingBytes + rest.length >= size) {
      const take = size - pendingBytes;
      pending.push(rest.subarray(0, take));
      yield pending.length === 1 ? pending[0]! : Buffer.concat(pending, size);
      rest = rest.subarray(take);
      pending = [];
      pendingBytes = 0;
    }
    if (rest.length) {
      pending.push(rest);
      pendingBytes += rest.length;
    }
  }
  if (pendingBytes) yield Buffer.concat(pending, pendingBytes);
}

const indexed = new Map<string, Promise<void>>();

/** The indexes GridFS readers expect (as the driver creates them), once per process and bucket. */
function ensureIndexes(db: mongo.Db, bucket: string): Promise<void> {
  const key = `${db.databaseName}/${bucket}`;
  let done = indexed.get(key);
  if (!done) {
    done = Promise.all([
      db.collection(`${bucket}.chunks`).createIndex({ files_id: 1, n: 1 }, { unique: true }),
      db.collection(`${bucket}.files`).createIndex({ filename: 1, uploadDate: 1 }),
    ]).then(() => undefined);
    done.catch(() => indexed.delete(key)); // tried again by the next file
    indexed.set(key, done);
  }
  return done;
}
