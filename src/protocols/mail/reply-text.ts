/**
 * How much of a reply is read for commands. Instructions are short lines at the top (one per column at
 * most). The quote-stripping library behind `visibleReply` costs more than linear time in the number of
 * lines and in the length of each (about 0.6 s for 8 KB of blank lines, minutes for one 60 KB line), so a
 * reply is cut to a small bounded text before anything reads it.
 */
export const MAX_REPLY_CHARS = 4 * 1024;
export const MAX_REPLY_LINES = 100;
/** A line longer than this is no instruction; its tail is dropped so no regex sees a long line. */
export const MAX_REPLY_LINE_CHARS = 500;

/**
 * The head of a reply: at most MAX_REPLY_LINES lines and MAX_REPLY_CHARS characters, each line cut to
 * MAX_REPLY_LINE_CHARS, runs of blank lines made one, line ends made `\n`. One pass over the text that
 * stops as soon as the head is full.
 */
export function boundedReplyText(text: string): string {
  const lines: string[] = [];
  let size = 0;
  let start = 0;
  while (start <= text.length && lines.length < MAX_REPLY_LINES && size < MAX_REPLY_CHARS) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    let line = text.slice(start, Math.min(stop, start + MAX_REPLY_LINE_CHARS + 1));
    if (line.endsWith('\r')) line = line.slice(0, -1);
    line = line.slice(0, Math.min(MAX_REPLY_LINE_CHARS, MAX_REPLY_CHARS - size));
    const blank = line.trim() === '';
    if (!(blank && lines.length > 0 && lines[lines.length - 1]!.trim() === '')) {
      lines.push(line);
      size += line.length + 1;
    }
    if (end < 0) break;
    start = end + 1;
  }
  return lines.join('\n');
}

/** Drops trailing characters found in `chars`; a scan from the end, never a backtracking regex. */
export function trimTrailing(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1]!)) end--;
  return text.slice(0, end);
}
