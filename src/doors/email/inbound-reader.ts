import { MailParser, type AttachmentStream, type MessageText } from 'mailparser';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, TransformCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { safeFileName } from '../../engine/use-cases/propose/safe-file-name';
import { classifyPart } from './csv-part';
import { MAX_NESTING } from './email.constants';
import { htmlHeadText, MAX_HTML_TO_TEXT_CHARS } from './html-text';

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
  /** CSV files (and forwarded messages) past the per-message limit: never stored, never imported. */
  notTaken: NotTaken;
  /** Outlook's winmail.dat was attached. */
  tnef: boolean;
}

/** Names of the attachments left out (the first MAX_NOT_TAKEN_NAMES), and how many there were. */
export interface NotTaken {
  names: string[];
  count: number;
}

export interface ReadOptions {
  /** CSV attachments taken from one message, forwarded messages inside it included. */
  maxCsv: number;
}

const HEAD_BYTES = 4096;
/** The answer names this many of the attachments not taken, then counts the rest. */
export const MAX_NOT_TAKEN_NAMES = 50;
/** The body text kept for reading commands; a reply is read from its first few KB only. */
const MAX_TEXT_CHARS = 64 * 1024;

/** Subjects and message ids are echoed in answers and stored: at most one mail line each. */
const MAX_HEADER_CHARS = 998;
/** References kept from a message (the answer keeps the last 20 anyway). */
const MAX_REFERENCES = 20;

function headerText(value: unknown): string {
  if (typeof value === 'string') return value.slice(0, MAX_HEADER_CHARS);
  if (Array.isArray(value))
    return value
      .filter((v) => typeof v === 'string')
      .join(' ')
      .slice(0, MAX_HEADER_CHARS);
  return '';
}

/** What one message read shares with the forwarded messages inside it. */
class ReadState {
  /** Attachments without a name still need a unique file to land in. */
  n = 0;
  /** CSV files taken so far. */
  taken = 0;
  constructor(readonly options: ReadOptions) {}
}

/** The text of the body: mailparser's, or, for HTML too long for it to convert, a cheap reading. */
export function bodyText(data: MessageText): string {
  const text = data.text ?? '';
  if (text.trim() || typeof data.html !== 'string') return text.slice(0, MAX_TEXT_CHARS);
  return htmlHeadText(data.html, MAX_TEXT_CHARS);
}

/**
 * Parses a message with the streaming MailParser; each attachment is streamed to a file in `dir`, then
 * classified by its name and first bytes. A forwarded message attached as a file is opened in turn.
 * Attachments are handled one at a time, in order, so the first `maxCsv` CSV files are the ones taken;
 * later ones are read through without being kept and only named in `notTaken`.
 */
export async function readMessage(
  source: Readable,
  dir: string,
  options: ReadOptions,
  depth = 0,
  state = new ReadState(options),
): Promise<ReadMessage> {
  const parser = new MailParser({
    skipImageLinks: true,
    skipTextToHtml: true,
    skipHtmlToText: false,
    maxHtmlLengthToParse: MAX_HTML_TO_TEXT_CHARS,
  });
  const out: ReadMessage = {
    subject: '',
    messageId: '',
    references: [],
    text: '',
    csvParts: [],
    notTaken: { names: [], count: 0 },
    tnef: false,
  };
  let failed: unknown = null;
  const pending: Promise<void>[] = [];
  const open = new Set<Readable>();
  parser.on('headers', (headers: Map<string, unknown>) => {
    out.subject = headerText(headers.get('subject'));
    out.messageId = headerText(headers.get('message-id'));
    const refs = headers.get('references');
    const list: unknown[] = Array.isArray(refs) ? refs : typeof refs === 'string' ? refs.split(/\s+/) : [];
    out.references = list
      .filter((r): r is string => typeof r === 'string' && r.length > 0 && r.length <= MAX_HEADER_CHARS)
      .slice(-MAX_REFERENCES);
  });
  parser.on('data', (data: AttachmentStream | MessageText) => {
    if (data.type === 'text') {
      if (!out.text) out.text = bodyText(data);
      return;
    }
    // MailParser waits for release(), so attachments are handled strictly one after another.
    const content = data.content as Readable;
    open.add(content);
    pending.push(
      takeAttachment(data, dir, depth, state, out)
        .catch((e: unknown) => {
          failed ??= e;
          content.resume();
        })
        .finally(() => {
          open.delete(content);
          data.release?.();
        }),
    );
  });
  try {
    await pipeline(source, parser as unknown as Transform);
  } catch (e) {
    // A message that stops being readable ends the attachment being written too: else its file stays
    // open and its write pending for good.
    for (const content of open) content.destroy(e as Error);
    await Promise.allSettled(pending);
    throw e;
  }
  await Promise.all(pending);
  if (failed) throw failed;
  return out;
}

function skip(out: ReadMessage, fileName: string): void {
  out.notTaken.count++;
  if (out.notTaken.names.length < MAX_NOT_TAKEN_NAMES) out.notTaken.names.push(fileName);
}

function merge(out: ReadMessage, inner: ReadMessage): void {
  out.csvParts.push(...inner.csvParts);
  out.tnef ||= inner.tnef;
  out.notTaken.count += inner.notTaken.count;
  for (const name of inner.notTaken.names) {
    if (out.notTaken.names.length < MAX_NOT_TAKEN_NAMES) out.notTaken.names.push(name);
  }
}

async function takeAttachment(
  att: AttachmentStream,
  dir: string,
  depth: number,
  state: ReadState,
  out: ReadMessage,
): Promise<void> {
  const n = ++state.n;
  const named = Boolean(att.filename);
  const fileName = named ? safeFileName(att.filename ?? '') : '';
  if (state.taken >= state.options.maxCsv) {
    // The limit is reached: read only the first bytes to tell what this was, keep nothing.
    const kind = classifyPart(fileName, att.contentType ?? '', await headOf(att.content as Readable));
    if (kind === 'csv' || kind === 'message') skip(out, fileName || `attachment-${n}`);
    else if (kind === 'tnef') out.tnef = true;
    return;
  }
  const path = join(dir, `part-${n}`);
  await pipeline(att.content as Readable, createWriteStream(path));
  const kind = classifyPart(fileName, att.contentType ?? '', await head(path));
  if (kind === 'csv') {
    state.taken++;
    out.csvParts.push({ fileName: fileName || `attachment-${n}.csv`, path });
    return;
  }
  if (kind === 'tnef') out.tnef = true;
  else if (kind === 'message' && depth < MAX_NESTING) {
    merge(out, await readMessage(createReadStream(path), dir, state.options, depth + 1, state));
  }
  await rm(path, { force: true });
}

/** The first HEAD_BYTES of a stream, which is then read to its end and dropped. */
async function headOf(stream: Readable): Promise<Buffer> {
  const capture = new HeaderCapture(HEAD_BYTES);
  await pipeline(stream, capture, new Writable({ write: (_c, _e, done) => done() }));
  return Buffer.from(capture.head, 'latin1');
}

/**
 * True for mailparser's refusal of a message built past its limits (more than 1,000 MIME parts, a header
 * block over 1 MB): a property of the message, so trying again cannot help.
 */
export function isBeyondParserLimits(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === 'EMAXLEN';
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
