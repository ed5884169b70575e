import { MailParser, type AttachmentStream, type MessageText } from 'mailparser';
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { safeFileName } from '../../engine/imports/import.service';
import { classifyPart } from './csv-part';
import { MAX_NESTING } from './email.constants';

/** A CSV candidate written to a temporary file (attachments are streamed, never held in memory). */
export interface CsvPart {
  fileName: string;
  path: string;
}

export interface ReadMessage {
  subject: string;
  messageId: string;
  references: string[];
  text: string;
  csvParts: CsvPart[];
  /** Outlook's winmail.dat was attached. */
  tnef: boolean;
}

const HEAD_BYTES = 4096;

function headerText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join(' ');
  return '';
}

/** Attachments without a name still need a unique file to land in. */
class Counter {
  n = 0;
}

/**
 * Parses a message with the streaming MailParser; each attachment is streamed to a file in `dir`, then
 * classified by its name and first bytes. A forwarded message attached as a file is opened in turn.
 */
export async function readMessage(
  source: Readable,
  dir: string,
  depth = 0,
  counter = new Counter(),
): Promise<ReadMessage> {
  const parser = new MailParser({ skipImageLinks: true, skipTextToHtml: true, skipHtmlToText: false });
  const out: ReadMessage = {
    subject: '',
    messageId: '',
    references: [],
    text: '',
    csvParts: [],
    tnef: false,
  };
  const pending: Promise<void>[] = [];
  parser.on('headers', (headers: Map<string, unknown>) => {
    out.subject = headerText(headers.get('subject'));
    out.messageId = headerText(headers.get('message-id'));
    const refs = headers.get('references');
    out.references = (Array.isArray(refs) ? refs : headerText(refs).split(/\s+/)).filter(
      (r): r is string => typeof r === 'string' && r.length > 0,
    );
  });
  parser.on('data', (data: AttachmentStream | MessageText) => {
    if (data.type === 'text') {
      if (!out.text) out.text = data.text ?? '';
      return;
    }
    pending.push(saveAttachment(data, dir, depth, counter, out));
  });
  await pipeline(source, parser as unknown as Transform);
  await Promise.all(pending);
  return out;
}

async function saveAttachment(
  att: AttachmentStream,
  dir: string,
  depth: number,
  counter: Counter,
  out: ReadMessage,
): Promise<void> {
  const n = ++counter.n;
  const path = join(dir, `part-${n}`);
  try {
    await pipeline(att.content as Readable, createWriteStream(path));
  } finally {
    att.release?.();
  }
  const fileName = safeFileName(att.filename ?? '');
  const kind = classifyPart(att.filename ? fileName : '', att.contentType ?? '', await head(path));
  if (kind === 'csv') out.csvParts.push({ fileName: att.filename ? fileName : `attachment-${n}.csv`, path });
  else if (kind === 'tnef') out.tnef = true;
  else if (kind === 'message' && depth < MAX_NESTING) {
    const inner = await readMessage(createReadStream(path), dir, depth + 1, counter);
    out.csvParts.push(...inner.csvParts);
    out.tnef ||= inner.tnef;
  }
}

async function head(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Keeps the first bytes of a message (its header block) while it streams through to storage. */
export class HeaderCapture extends Transform {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly max = 64 * 1024) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.size < this.max) {
      this.chunks.push(chunk.subarray(0, this.max - this.size));
      this.size += Math.min(chunk.length, this.max - this.size);
    }
    done(null, chunk);
  }
  get head(): string {
    return Buffer.concat(this.chunks).toString('latin1');
  }
}
