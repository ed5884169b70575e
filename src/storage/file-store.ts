import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, mongo } from 'mongoose';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IntakeError } from '../core/intake-error';
import { ByteInspector } from '../core/parse/file-sniffer';

export interface StoredFile {
  fileId: string;
  bytes: number;
  head: Buffer;
  utf8Valid: boolean;
}

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

  constructor(@InjectConnection() connection: Connection) {
    this.bucket = new mongo.GridFSBucket(connection.db as unknown as mongo.Db, { bucketName: 'uploads' });
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

  open(fileId: string): Readable {
    return this.bucket.openDownloadStream(new mongo.ObjectId(fileId));
  }

  async delete(fileId: string): Promise<void> {
    await this.bucket.delete(new mongo.ObjectId(fileId)).catch(() => undefined);
  }
}
