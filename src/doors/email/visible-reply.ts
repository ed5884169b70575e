import type EmailReplyParserType from 'email-reply-parser';

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

/** Quoted history and signatures removed: only what the person wrote above them. */
export function visibleReply(text: string): string {
  return new (parserClass())().read(text.replace(/\r\n/g, '\n')).getVisibleText();
}
