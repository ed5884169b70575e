import type EmailReplyParserType from 'email-reply-parser';
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
 */
export function visibleReply(text: string): string {
  return new (parserClass())().read(boundedReplyText(text)).getVisibleText();
}
