import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, mongo } from 'mongoose';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IntakeError } from '../../core/intake-error';
import { ByteInspector } from '../../core/parse/file-sniffer';
import type { ByteSource } from '../../core/parse/zip-reader';

export interface StoredFile {
  fileId: string;
  bytes: number;
  head: Buffer;
  utf8Valid: boolean;
}

/** ~2 MB of 255 kB GridFS chunks per round trip when reading a stored file. */
const CHUNKS_PER_BATCH = 8;

/** Stops a stream past `max` bytes, so an oversized upload never fills the database. */
class SizeLimit extends Transform {
  private seen = 0;
  constructor(private readonly max: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.max) {
      const mb = Math.round(this.max / 1024 / 1024);
      done(
        new IntakeError(
          'file_too_large',
          `The file is larger than the ${mb} MB limit. Split it into smaller files.`,
        ),
      );
      return;
    }
    done(null, chunk);
  }
}

/** Files waiting to be imported live in GridFS, so any worker on any machine can read them. */
@Injectable()
export class FileStore {
  private readonly bucket: mongo.GridFSBucket;
  private readonly db: mongo.Db;

  constructor(@InjectConnection() connection: Connection) {
    this.db = connection.db as unknown as mongo.Db;
    this.bucket = new mongo.GridFSBucket(this.db, { bucketName: 'uploads' });
  }

  /** Streams into GridFS as the bytes arrive, inspecting them on the way; nothing is kept if it fails. */
  async save(workspaceId: string, source: Readable, fileName: string, maxBytes: number): Promise<StoredFile> {
    const inspector = new ByteInspector();
    const upload = this.bucket.openUploadStream(fileName, { metadata: { workspaceId } });
    try {
      await pipeline(source, new SizeLimit(maxBytes), inspector, upload);
    } catch (e) {
      await this.bucket.delete(upload.id).catch(() => undefined);
      throw e;
    }
    return {
      fileId: String(upload.id),
      bytes: inspector.bytes,
      head: inspector.head,
      utf8Valid: inspector.utf8Valid,
    };
  }

  /**
   * Streams a stored file chunk by chunk. Not GridFSBucket.openDownloadStream: its cursor takes no
   * batch size, so the server sends up to 16 MB of chunks per round trip and a 100 MB import held
   * 100+ MB of chunk buffers (seen as the worker's arrayBuffers growing with file size). Here at most
   * CHUNKS_PER_BATCH chunks (~2 MB) are in memory at once.
   */
  open(fileId: string): Readable {
    return Readable.from(this.chunksOf(new mongo.ObjectId(fileId)), { objectMode: false });
  }

  private async *chunksOf(id: mongo.ObjectId): AsyncGenerator<Buffer> {
    const file = await this.db.collection('uploads.files').findOne({ _id: id });
    if (!file) throw new Error(`FileNotFound: file ${String(id)} was not found`);
    const cursor = this.db
      .collection('uploads.chunks')
      .find(
        { files_id: id },
        { sort: { n: 1 }, batchSize: CHUNKS_PER_BATCH, projection: { _id: 0, n: 1, data: 1 } },
      );
    let n = 0;
    let bytes = 0;
    try {
      for await (const chunk of cursor) {
        if (chunk.n !== n) throw new Error(`ChunkIsMissing: file ${String(id)} has no chunk ${n}`);
        const data = chunk.data as mongo.Binary;
        const buf = Buffer.from(data.buffer.subarray(0, data.length()));
        bytes += buf.length;
        n++;
        yield buf;
      }
    } finally {
      await cursor.close();
    }
    if (bytes !== file.length)
      throw new Error(`ChunkIsMissing: file ${String(id)} ends after ${bytes} bytes`);
  }

  /**
   * The stored file read by byte ranges (a workbook's parts are read where they are, the ZIP's table
   * of contents first), fetching only the chunks a range covers, CHUNKS_PER_BATCH at a time.
   */
  async source(fileId: string): Promise<ByteSource> {
    const id = new mongo.ObjectId(fileId);
    const file = await this.db.collection('uploads.files').findOne({ _id: id });
    if (!file) throw new Error(`FileNotFound: file ${fileId} was not found`);
    const size = Number(file.length);
    const chunkSize = Number(file.chunkSize);
    const chunks = this.db.collection('uploads.chunks');
    return {
      size,
      async *read(start: number, end: number): AsyncGenerator<Buffer> {
        const stop = Math.min(end, size);
        if (stop <= start) return;
        const first = Math.floor(start / chunkSize);
        const last = Math.floor((stop - 1) / chunkSize);
        const cursor = chunks.find(
          { files_id: id, n: { $gte: first, $lte: last } },
          { sort: { n: 1 }, batchSize: CHUNKS_PER_BATCH, projection: { _id: 0, n: 1, data: 1 } },
        );
        let n = first;
        try {
          for await (const chunk of cursor) {
            if (chunk.n !== n) throw new Error(`ChunkIsMissing: file ${fileId} has no chunk ${n}`);
            const data = chunk.data as mongo.Binary;
            const at = n * chunkSize;
            const from = Math.max(0, start - at);
            const to = Math.min(data.length(), stop - at);
            n++;
            yield Buffer.from(data.buffer.subarray(from, to));
          }
        } finally {
          await cursor.close();
        }
        if (n !== last + 1) throw new Error(`ChunkIsMissing: file ${fileId} ends before byte ${stop}`);
      },
    };
  }

  async delete(fileId: string): Promise<void> {
    await this.bucket.delete(new mongo.ObjectId(fileId)).catch(() => undefined);
  }
}
