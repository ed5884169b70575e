/** A reply's body in plain text and HTML; pure, so tests read exactly what people get. */
export interface MailBody {
  text: string;
  html: string;
}

export const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Paragraphs as HTML (escaped, line breaks kept), then `extra` HTML as it is. */
export function htmlParagraphs(paragraphs: string[], extra = ''): string {
  return `<div>${paragraphs.map((p) => `<p>${esc(p).replace(/\n/g, '<br>')}</p>`).join('')}${extra}</div>`;
}

export function plainBody(lines: string[]): MailBody {
  return { text: `${lines.join('\n\n')}\n`, html: htmlParagraphs(lines) };
}
