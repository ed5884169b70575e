import { createWriteStream } from 'node:fs';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HeaderCapture } from './inbound-reader';

/** Passes the first `max` bytes and drops the rest, so the source is still read to its end. */
class Truncate extends Transform {
  private seen = 0;
  constructor(private readonly max: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const room = Math.max(0, this.max - this.seen);
    this.seen += chunk.length;
    done(null, room >= chunk.length ? chunk : chunk.subarray(0, room));
  }
}

/**
 * Writes an arriving message to a local file and returns its header block. The message waits there
 * while it is checked, so a refused message never reaches the database. At most `max` bytes are kept;
 * the caller refuses a message that was larger.
 */
export async function spool(source: Readable, path: string, max: number): Promise<string> {
  const capture = new HeaderCapture();
  source.pipe(capture);
  try {
    await pipeline(capture, new Truncate(max), createWriteStream(path));
  } catch (e) {
    source.unpipe(capture);
    source.resume();
    throw e;
  }
  return capture.head;
}
