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
  parser.on('opentag', (tag) => handlers.open(localName(tag.name), tag.attributes as Record<string, string>));
  parser.on('text', (text) => handlers.text(text));
  parser.on('closetag', (tag) => handlers.close(localName(tag.name)));
  const decoder = new StringDecoder('utf8');
  const check = () => {
    if (failure) throw damaged(`its XML is malformed: ${failure.message.slice(0, 200)}`);
  };
  try {
    for await (const chunk of bytes) {
      parser.write(decoder.write(chunk as Buffer));
      check();
      yield;
    }
    parser.write(decoder.end());
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
