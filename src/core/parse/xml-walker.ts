import { SaxesParser } from 'saxes';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { damaged } from './zip-reader';

export interface XmlHandlers {
  /** `name` without its namespace prefix (some writers spell `<x:row>`). */
  open(name: string, attrs: Readonly<Record<string, string>>): void;
  text(text: string): void;
  close(name: string): void;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/**
 * Characters a text or a tag may run without a `<`: saxes holds a whole text node (or tag) before
 * handing it on, so a part that is one huge cell would otherwise be held whole.
 */
export const MAX_XML_RUN = 16 * 1024 * 1024;
/** Elements open at once; a sheet needs six, a shared string five. */
const MAX_DEPTH = 64;

/** Counts characters since the last `<`, within and across chunks. */
class RunGuard {
  private run = 0;

  check(text: string): void {
    let from = 0;
    for (let at = text.indexOf('<'); at >= 0; at = text.indexOf('<', at + 1)) {
      if (this.run + at - from > MAX_XML_RUN) throw tooLong();
      this.run = 0;
      from = at + 1;
    }
    this.run += text.length - from;
    if (this.run > MAX_XML_RUN) throw tooLong();
  }
}

function tooLong(): Error {
  return damaged(`a cell or tag holds more than ${MAX_XML_RUN / 1024 / 1024} MB of text`);
}

interface TextDecoding {
  write(bytes: Buffer): string;
  end(): string;
}

/** UTF-16 big-endian: bytes swapped pairwise (an odd byte kept for the next chunk), then read as LE. */
class Utf16BeDecoder implements TextDecoding {
  private readonly inner = new StringDecoder('utf16le');
  private odd: Buffer | null = null;

  write(bytes: Buffer): string {
    const all = this.odd ? Buffer.concat([this.odd, bytes]) : bytes;
    const even = all.length - (all.length % 2);
    this.odd = even < all.length ? Buffer.from(all.subarray(even)) : null;
    return this.inner.write(Buffer.from(all.subarray(0, even)).swap16());
  }

  end(): string {
    return this.inner.end();
  }
}

/**
 * The part's encoding from its first bytes: UTF-8 as most writers use, UTF-16 (as Excel Mobile writes
 * it) by its byte-order mark or by its first character `<` spelled in two bytes.
 */
function decoderFor(head: Buffer): TextDecoding {
  const [a, b] = [head[0], head[1]];
  if ((a === 0xff && b === 0xfe) || (a === 0x3c && b === 0x00)) return new StringDecoder('utf16le');
  if ((a === 0xfe && b === 0xff) || (a === 0x00 && b === 0x3c)) return new Utf16BeDecoder();
  return new StringDecoder('utf8');
}

/**
 * Walks an XML part with saxes, calling the handlers synchronously, and yields after each chunk so the
 * caller can hand on what the handlers collected. Bytes are decoded with one StringDecoder, so a
 * character split across chunks stays whole. Malformed XML is a damaged workbook.
 */
export async function* walkXml(bytes: Readable, handlers: XmlHandlers): AsyncGenerator<void> {
  const parser = new SaxesParser();
  let failure: Error | undefined;
  parser.on('error', (e) => {
    failure ??= e;
  });
  let depth = 0;
  parser.on('opentag', (tag) => {
    if (++depth > MAX_DEPTH) failure ??= new Error(`elements nested more than ${MAX_DEPTH} deep`);
    handlers.open(localName(tag.name), tag.attributes as Record<string, string>);
  });
  parser.on('text', (text) => handlers.text(text));
  // Text in <![CDATA[…]]> is text like any other.
  parser.on('cdata', (text) => handlers.text(text));
  parser.on('closetag', (tag) => {
    depth--;
    handlers.close(localName(tag.name));
  });
  const runs = new RunGuard();
  let decoder: TextDecoding | null = null;
  const check = () => {
    if (failure) throw damaged(`its XML is malformed: ${failure.message.slice(0, 200)}`);
  };
  try {
    for await (const chunk of bytes) {
      let text: string;
      if (!decoder) {
        decoder = decoderFor(chunk as Buffer);
        text = decoder.write(chunk as Buffer);
        // A byte-order mark is no text: saxes would take it for text before the root.
        if (text.startsWith('\uFEFF')) text = text.slice(1);
      } else text = decoder.write(chunk as Buffer);
      runs.check(text);
      parser.write(text);
      check();
      yield;
    }
    if (decoder) parser.write(decoder.end());
    parser.close();
    check();
  } finally {
    bytes.destroy();
  }
}

/** Walks a whole (small) part. */
export async function walkAll(bytes: Readable, handlers: XmlHandlers): Promise<void> {
  for await (const _ of walkXml(bytes, handlers)) {
    // handlers collect as the part goes by
  }
}
