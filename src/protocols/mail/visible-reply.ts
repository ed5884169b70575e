import type EmailReplyParserType from 'email-reply-parser';
import { quoteStart } from './quoted-original';
import { boundedReplyText } from './reply-text';

type ParserClass = typeof EmailReplyParserType;
let Parser: ParserClass | null = null;

/**
 * email-reply-parser 2.x is an ES module. Node ≥ 20.19 loads it with require(); Jest's module loader
 * cannot (and replaces the `module` built-in it hands out), so Node's own createRequire is taken from
 * process.getBuiltinModule, which works in both.
 */
function parserClass(): ParserClass {
  if (!Parser) {
    const { createRequire } = process.getBuiltinModule('node:module');
    const mod = createRequire(__filename)('email-reply-parser') as { default: ParserClass };
    Parser = mod.default;
  }
  return Parser;
}

/**
 * Quoted history and signatures removed: only what the person wrote above them. Only a bounded head of
 * the reply is read (see boundedReplyText): the library's regexes are not linear in a line's length.
 * The quoted original is first cut off where any common client starts it (quoteStart), since the
 * library knows only some clients' forms; when nothing stands above it (a reply written below the
 * quote), the library reads the whole head.
 */
export function visibleReply(text: string): string {
  const lines = boundedReplyText(text).split('\n');
  const start = quoteStart(lines);
  const above = start < 0 ? lines : lines.slice(0, start);
  const head = above.some((l) => l.trim() !== '') ? above : lines;
  return new (parserClass())().read(head.join('\n')).getVisibleText();
}
