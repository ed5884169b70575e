/**
 * HTML up to this many characters is turned into text by mailparser (html-to-text, which builds a DOM:
 * 20 MB of HTML cost 7 s of CPU and 800 MB of memory). Longer HTML gets the cheap reading below.
 */
export const MAX_HTML_TO_TEXT_CHARS = 256 * 1024;

/** Tags that end a line of text. */
const BLOCK = new Set([
  'br',
  'p',
  'div',
  'tr',
  'li',
  'ul',
  'ol',
  'table',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
]);
/** Tags whose content is never text. */
const HIDDEN = new Set(['script', 'style', 'head', 'title']);
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function entity(name: string): string | null {
  if (name.startsWith('#x') || name.startsWith('#X')) {
    const code = Number.parseInt(name.slice(2), 16);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null;
  }
  if (name.startsWith('#')) {
    const code = Number.parseInt(name.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null;
  }
  return ENTITIES[name.toLowerCase()] ?? null;
}

function isNameChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** The lower-cased name of the tag starting at `html[at] === '<'`, without a leading `/`. */
function tagName(html: string, at: number): string {
  let i = at + 1;
  if (html[i] === '/') i++;
  const start = i;
  while (i < html.length && i - start < 12 && isNameChar(html.charCodeAt(i))) i++;
  return html.slice(start, i).toLowerCase();
}

/** Where `</name` next starts at or after `from` (any case), or the end of the text. */
function closingTag(html: string, name: string, from: number): number {
  for (let at = html.indexOf('</', from); at >= 0; at = html.indexOf('</', at + 2)) {
    if (html.slice(at + 2, at + 2 + name.length).toLowerCase() === name) return at;
  }
  return html.length;
}

/**
 * The first `maxChars` characters of the text of an HTML body, read in one pass that stops as soon as
 * they are found: tags dropped (block tags end a line), script and style skipped, common entities
 * decoded, and reading stops at the first <blockquote>, where mail clients put the quoted history.
 * Rough next to html-to-text, but linear, and enough for the commands at the top of a reply.
 */
export function htmlHeadText(html: string, maxChars: number): string {
  let out = '';
  let i = 0;
  while (i < html.length && out.length < maxChars) {
    const c = html[i]!;
    if (c === '<') {
      const name = tagName(html, i);
      const closing = html[i + 1] === '/';
      if (name === 'blockquote') break;
      if (html.startsWith('!--', i + 1)) {
        const end = html.indexOf('-->', i + 4);
        i = end < 0 ? html.length : end + 3;
        continue;
      }
      const end = html.indexOf('>', i);
      if (end < 0) break;
      i = end + 1;
      if (!closing && HIDDEN.has(name)) {
        i = closingTag(html, name, i);
      } else if (BLOCK.has(name) && !out.endsWith('\n')) out += '\n';
      continue;
    }
    if (c === '&') {
      // An entity is short: look for its `;` in the next few characters only.
      const semi = html.slice(i, i + 12).indexOf(';') + i;
      const decoded = semi > i ? entity(html.slice(i + 1, semi)) : null;
      if (decoded !== null) {
        out += decoded;
        i = semi + 1;
        continue;
      }
    }
    out += c === '\r' || c === '\n' || c === '\t' ? ' ' : c;
    i++;
  }
  return out.slice(0, maxChars);
}
