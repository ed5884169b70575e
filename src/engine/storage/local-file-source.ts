import { createReadStream } from 'node:fs';
import type { ByteSource } from '../../core/parse/zip-reader';

/** A local file of `size` bytes read by byte ranges, as a workbook is read. */
export function localFileSource(path: string, size: number): ByteSource {
  return {
    size,
    async *read(start: number, end: number): AsyncGenerator<Buffer> {
      const stop = Math.min(end, size);
      if (stop > start) yield* createReadStream(path, { start, end: stop - 1 }) as AsyncIterable<Buffer>;
    },
  };
}
