import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, mongo } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CHUNK_BYTES, writeGridFsFile } from './gridfs-writer';
import { localFileSource } from './local-file-source';
import { pipeline } from 'node:stream/promises';
import { IntakeError } from '../../core/intake-error';
import { ByteInspector } from '../../core/parse/file-sniffer';
import type { ByteSource } from '../../core/parse/zip-reader';
import { ownSpoolDir } from './spool-dir';

export interface StoredFile {
  fileId: string;
  bytes: number;
  head: Buffer;
  utf8Valid: boolean;
}

/** An upload received on local disk, not yet in the database: `fileId` is the id it will be stored under. */
export interface SpooledFile extends StoredFile {
  path: string;
  fileName: string;
  workspaceId: string;
}

/** The name ending of received files on local disk. */
const SPOOL_SUFFIX = '.upload';

/** ~2 MB of 255 kB GridFS chunks per round trip when reading a stored file. */
const CHUNKS_PER_BATCH = 8;

/** Stops a stream past `max` bytes, so an oversized upload never fills the database. */
class SizeLimit extends Transform {
  private seen = 0;
  constructor(
    private readonly max: number,
    private readonly refusal: () => IntakeError = () => tooLarge(max),
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.max) {
      done(this.refusal());
      return;
    }
    done(null, chunk);
  }
}

function tooLarge(max: number): IntakeError {
  const mb = Math.round(max / 1024 / 1024);
  return new IntakeError(
    'file_too_large',
    `The file is larger than the ${mb} MB limit. Split it into smaller files.`,
  );
}

/** Files waiting to be imported live in GridFS, so any worker on any machine can read them. */
@Injectable()
export class FileStore implements OnModuleInit {
  private readonly bucket: mongo.GridFSBucket;
  private readonly db: mongo.Db;

  constructor(
    @InjectConnection() connection: Connection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.db = connection.db as unknown as mongo.Db;
    this.bucket = new mongo.GridFSBucket(this.db, { bucketName: 'uploads' });
  }

  /** A spool directory that is not Intake's own stops the process at start, with what to do. */
  async onModuleInit(): Promise<void> {
    await ownSpoolDir(this.config.limits.spoolDir);
  }

  /**
   * Receives an upload onto local disk, inspecting it on the way (its head, its size, whether it is
   * UTF-8): as fast as the bytes arrive, so a proposal can be answered before the file is in the
   * database. `persist` stores it there; `discard` drops it. Nothing is kept if receiving fails.
   * Past `maxBytes` it stops with `overLimit` (the file size limit's refusal by default).
   */
  async receive(
    workspaceId: string,
    source: Readable,
    fileName: string,
    maxBytes: number,
    overLimit?: () => IntakeError,
  ): Promise<SpooledFile> {
    await ownSpoolDir(this.config.limits.spoolDir);
    const path = join(this.config.limits.spoolDir, `${randomUUID()}${SPOOL_SUFFIX}`);
    const inspector = new ByteInspector();
    try {
      await pipeline(
        source,
        new SizeLimit(maxBytes, overLimit),
        inspector,
        createWriteStream(path, { mode: 0o600 }),
      );
    } catch (e) {
      await rm(path, { force: true });
      throw e;
    }
    return {
      fileId: String(new mongo.ObjectId()),
      path,
      fileName,
      workspaceId,
      bytes: inspector.bytes,
      head: inspector.head,
      utf8Valid: inspector.utf8Valid,
    };
  }

  /** A received file read by byte ranges from local disk (a workbook's parts, before it is stored). */
  spooledSource(file: SpooledFile): ByteSource {
    return localFileSource(file.path, file.bytes);
  }

  /**
   * Stores a received file in GridFS under its id and removes it from local disk. A failure leaves
   * no part of it in the database (and the local copy is removed either way).
   */
  async persist(file: SpooledFile): Promise<void> {
    try {
      const length = await writeGridFsFile(
        this.db,
        'uploads',
        new mongo.ObjectId(file.fileId),
        createReadStream(file.path, { highWaterMark: CHUNK_BYTES }),
        { filename: file.fileName, metadata: { workspaceId: file.workspaceId } },
      );
      if (length !== file.bytes) throw new Error(`stored ${length} of ${file.bytes} bytes`);
    } finally {
      await this.discard(file);
    }
  }

  /** Removes received files last written before `before`; returns how many. */
  async sweepSpool(before: Date): Promise<number> {
    const dir = this.config.limits.spoolDir;
    const names = await readdir(dir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names.filter((n) => n.endsWith(SPOOL_SUFFIX))) {
      const info = await stat(join(dir, name)).catch(() => null);
      if (!info || info.mtime >= before) continue;
      await rm(join(dir, name), { force: true });
      removed++;
    }
    return removed;
  }

  /** Removes a received file from local disk. */
  async discard(file: SpooledFile): Promise<void> {
    await rm(file.path, { force: true });
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

  /** Whether the file is stored whole (GridFS writes its entry after its last chunk). */
  async exists(fileId: string): Promise<boolean> {
    const id = new mongo.ObjectId(fileId);
    return (
      (await this.db.collection('uploads.files').findOne({ _id: id }, { projection: { _id: 1 } })) !== null
    );
  }

  async delete(fileId: string): Promise<void> {
    await this.bucket.delete(new mongo.ObjectId(fileId)).catch(() => undefined);
  }
}
