import { pipeline, Readable, Transform, TransformCallback } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { IntakeError } from '../intake-error';

/**
 * A stored file read by byte ranges: a ZIP's table of contents is at its end, and each part of a
 * workbook is read on its own, in the order Intake needs, never the file whole.
 */
export interface ByteSource {
  readonly size: number;
  /** Bytes [start, end) as a stream of chunks. */
  read(start: number, end: number): AsyncIterable<Buffer>;
}

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  encrypted: boolean;
  compressedSize: number;
  /** As the directory declares it: a ZIP bomb lies here, so reading counts the bytes as well. */
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** The end record (22 bytes) plus the longest comment a ZIP may carry. */
const EOCD_SEARCH = 22 + 0xffff;
/** A workbook's table of contents is a few KB; more is not a workbook Intake will read. */
const MAX_DIRECTORY_BYTES = 4 * 1024 * 1024;
const ZIP64_MARK = 0xffffffff;

export function bufferSource(buf: Buffer): ByteSource {
  return {
    size: buf.length,
    async *read(start, end) {
      yield buf.subarray(start, Math.min(end, buf.length));
    },
  };
}

async function readAll(src: ByteSource, start: number, end: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of src.read(start, end)) parts.push(chunk);
  return Buffer.concat(parts);
}

export function damaged(detail: string): IntakeError {
  return new IntakeError(
    'unreadable_workbook',
    `This workbook could not be read (${detail}). Open it in Excel, save it again as .xlsx (or CSV) and send it again.`,
  );
}

/** The ZIP's entries by name, from its central directory. */
export async function readZipDirectory(src: ByteSource): Promise<Map<string, ZipEntry>> {
  const tailStart = Math.max(0, src.size - EOCD_SEARCH);
  const tail = await readAll(src, tailStart, src.size);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw damaged('it is not a complete ZIP file');
  const count = tail.readUInt16LE(eocd + 10);
  const dirSize = tail.readUInt32LE(eocd + 12);
  const dirOffset = tail.readUInt32LE(eocd + 16);
  if (dirOffset === ZIP64_MARK || dirSize === ZIP64_MARK || count === 0xffff) {
    throw damaged('it uses ZIP64, which only workbooks far above the size limit need');
  }
  if (dirSize > MAX_DIRECTORY_BYTES || dirOffset + dirSize > src.size) {
    throw damaged('its table of contents is damaged');
  }
  return parseDirectory(await readAll(src, dirOffset, dirOffset + dirSize), count);
}

function parseDirectory(dir: Buffer, count: number): Map<string, ZipEntry> {
  const entries = new Map<string, ZipEntry>();
  let at = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > dir.length || dir.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      throw damaged('its table of contents is damaged');
    }
    const nameLength = dir.readUInt16LE(at + 28);
    const extraLength = dir.readUInt16LE(at + 30);
    const commentLength = dir.readUInt16LE(at + 32);
    const entry: ZipEntry = {
      name: dir.toString('utf8', at + 46, at + 46 + nameLength).replace(/^\//, ''),
      method: dir.readUInt16LE(at + 10),
      encrypted: (dir.readUInt16LE(at + 8) & 1) === 1,
      compressedSize: dir.readUInt32LE(at + 20),
      uncompressedSize: dir.readUInt32LE(at + 24),
      localHeaderOffset: dir.readUInt32LE(at + 42),
    };
    entries.set(entry.name, entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Fails a stream once more than `max` bytes went through it. */
class InflatedLimit extends Transform {
  private seen = 0;

  constructor(
    private readonly max: number,
    private readonly tooLarge: () => Error,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.max) return done(this.tooLarge());
    done(null, chunk);
  }
}

/**
 * The entry's bytes, inflated as they are read. Fails with `tooLarge()` past `maxBytes` inflated
 * bytes, whatever the directory declared, so a ZIP bomb costs at most `maxBytes` of work.
 */
export function openEntry(
  src: ByteSource,
  entry: ZipEntry,
  maxBytes: number,
  tooLarge: () => Error,
): Readable {
  if (entry.encrypted) throw passwordProtected();
  if (entry.method !== 0 && entry.method !== 8)
    throw damaged(`a part uses compression method ${entry.method}`);
  if (entry.uncompressedSize > maxBytes) throw tooLarge();
  const limit = new InflatedLimit(maxBytes, tooLarge);
  const raw = Readable.from(compressedBytes(src, entry));
  // Errors reach the reader through `limit`; the callback only keeps them handled.
  if (entry.method === 8) pipeline(raw, createInflateRaw(), limit, () => undefined);
  else pipeline(raw, limit, () => undefined);
  return limit;
}

async function* compressedBytes(src: ByteSource, entry: ZipEntry): AsyncGenerator<Buffer> {
  const at = entry.localHeaderOffset;
  const header = await readAll(src, at, Math.min(src.size, at + 30));
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_SIGNATURE) {
    throw damaged(`the part ${entry.name} is damaged`);
  }
  const start = at + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const end = start + entry.compressedSize;
  if (end > src.size) throw damaged(`the part ${entry.name} is cut short`);
  yield* src.read(start, end);
}

export function passwordProtected(): IntakeError {
  return new IntakeError(
    'encrypted_file',
    'This workbook is password-protected, so Intake cannot read it. Open it in Excel, remove the password (File → Info → Protect Workbook → Encrypt with Password, clear it), save it and send it again.',
  );
}
