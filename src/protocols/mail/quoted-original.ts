/**
 * Where the quoted original starts in a reply that mail clients wrote without `>` marks: Outlook's
 * header block ("From: … / Sent: … / To: … / Subject: …", in the client's language, bold as `*From:*`
 * when HTML was turned into text, with a bare address or a name), a "wrote" line ("On … wrote:",
 * "… написал:", "---- Name wrote ----", Gmail's "2014-10-17 11:28 GMT+03:00 Name <a@b>:") and the
 * "----- Original Message -----" separators. Every test is a scan of one bounded line, no regex, so a
 * reply is read in time linear in its length.
 */

/** Labels of the sender's line of a header block. */
// prettier-ignore
const FROM_LABELS = new Set([
  'from', 'von', 'de', 'van', 'fra', 'från', 'od', 'da', 'от', 'lähettäjä', 'kimden', 'afzender',
  'remetente', 'mittente', 'expéditeur', 'absender', 'nadawca', '差出人', '发件人', '寄件者', '보낸 사람',
]);

/** Labels of the other lines of a header block: date, recipients, subject. */
// prettier-ignore
const OTHER_LABELS = new Set([
  // English, German, French, Spanish
  'sent', 'date', 'to', 'cc', 'bcc', 'subject', 'reply-to', 'importance',
  'gesendet', 'datum', 'an', 'kopie', 'betreff', 'wichtigkeit',
  'envoyé', 'envoye', 'à', 'a', 'objet', 'date d\'envoi',
  'enviado', 'enviado el', 'fecha', 'para', 'asunto', 'cc/cco',
  // Dutch, Danish, Norwegian, Swedish
  'verzonden', 'aan', 'onderwerp', 'sendt', 'dato', 'til', 'emne', 'skickat', 'till', 'ämne', 'kopia',
  // Polish, Italian, Portuguese
  'wysłano', 'wysłane', 'data', 'do', 'temat', 'dw', 'inviato', 'oggetto', 'enviada', 'enviada em', 'assunto',
  // Russian, Finnish, Turkish
  'отправлено', 'дата', 'кому', 'тема', 'копия', 'lähetetty', 'vastaanottaja', 'aihe', 'tarih',
  'kime', 'konu',
  // Japanese, Chinese, Korean
  '送信日時', '日付', '宛先', '件名', '发送时间', '日期', '收件人', '主题', '發送時間', '收件者', '主旨',
  '抄送', '보낸 날짜', '받는 사람', '제목',
]);

/** How a "wrote" line ends, without its colon, in lower case. */
// prettier-ignore
const WROTE_ENDINGS = [
  'wrote', 'writes', 'sent', 'schrieb', 'geschrieben', 'a écrit', 'écrit', 'escribió', 'escribio',
  'ha scritto', 'scritto', 'escreveu', 'schreef', 'het volgende geschreven', 'skrev', 'napisał',
  'napisała', 'napisał(a)', 'pisze', 'написал', 'написала', 'написал(а)', 'пишет', 'kirjoitti',
  'yazdı', 'のメッセージ', '写道', '寫道', '작성',
];

/** "----- Original Message -----" and its translations, dashes and blanks taken off, in lower case. */
// prettier-ignore
const SEPARATORS = new Set([
  'original message', 'ursprüngliche nachricht', 'originalnachricht', 'message d\'origine',
  'message d’origine', 'mensaje original', 'oorspronkelijk bericht', 'origineel bericht',
  'oprindelig meddelelse', 'opprinnelig melding', 'ursprungligt meddelande', 'originalmeddelande',
  'messaggio originale', 'mensagem original', 'wiadomość oryginalna', 'oryginalna wiadomość',
  'исходное сообщение', 'alkuperäinen viesti', 'orijinal ileti', '元のメッセージ', '原始邮件', '原始郵件',
  'forwarded message', 'weitergeleitete nachricht', 'message transféré', 'mensaje reenviado',
]);

/** A line's `Label:` when it starts like a header, bold marks and blanks taken off; else null. */
export function headerLabel(line: string): { label: string; value: string } | null {
  const text = stripMarks(line.trim());
  let colon = -1;
  for (let i = 0; i < Math.min(text.length, 40); i++) {
    if (text[i] === ':' || text[i] === '：') {
      colon = i;
      break;
    }
  }
  if (colon <= 0) return null;
  const label = stripMarks(text.slice(0, colon)).trim().toLowerCase();
  const value = stripMarks(text.slice(colon + 1)).trim();
  return { label, value };
}

/** `*From:*`, `**Von:**`, `_Sent:_` → without the emphasis marks at either end. */
function stripMarks(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === '*' || text[start] === '_')) start++;
  while (end > start && (text[end - 1] === '*' || text[end - 1] === '_')) end--;
  return text.slice(start, end);
}

function isFromLine(line: string): boolean {
  const h = headerLabel(line);
  return !!h && FROM_LABELS.has(h.label);
}

function isOtherHeaderLine(line: string): boolean {
  const h = headerLabel(line);
  return !!h && OTHER_LABELS.has(h.label);
}

/**
 * Intake signs its mail "Intake <address>": a header or attribution naming it, in a language whose
 * words are not listed here, still starts a quoted copy of Intake's mail.
 */
function namesIntake(text: string): boolean {
  return text.toLowerCase().includes('intake');
}

/** "Feladó: Intake <intake@…>" followed by another `Label: value` line: a header block in any language. */
function startsIntakeHeaderBlock(lines: readonly string[], at: number): boolean {
  const h = headerLabel(lines[at]!);
  if (!h || !namesIntake(h.value) || namesIntake(h.label)) return false;
  if (h.value.includes('@')) return true;
  const next = lines.slice(at + 1, at + 3).find((l) => l.trim() !== '');
  return next !== undefined && headerLabel(next) !== null;
}

/** "Intake <intake@…> ezt írta (2026. nov. 23. 18:14):": an attribution naming Intake, in any language. */
function isIntakeAttribution(line: string): boolean {
  const raw = line.trim();
  if (!raw.endsWith(':') && !raw.endsWith('：')) return false;
  return namesIntake(raw) && raw.includes('@') && hasDigit(raw) && raw.split(' ').length >= 3;
}

/** Whether the lines at `at` start a header block: a sender and another header, or a sender with an address. */
function startsHeaderBlock(lines: readonly string[], at: number): boolean {
  const first = lines[at]!;
  if (startsIntakeHeaderBlock(lines, at)) return true;
  if (!isFromLine(first) && !isOtherHeaderLine(first)) return false;
  let from = isFromLine(first);
  if (from && headerLabel(first)!.value.includes('@')) return true;
  let other = !from;
  // A block is a few consecutive header lines; HTML turned into text may put blank lines between them.
  for (let i = at + 1, seen = 0; i < lines.length && seen < 6; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    seen++;
    if (isFromLine(line)) from = true;
    else if (isOtherHeaderLine(line)) other = true;
    else break;
    if (from && other) return true;
  }
  return false;
}

function hasDigit(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

function hasDigitOrAt(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 64) return true;
  }
  return false;
}

function trimChars(text: string, chars: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && chars.includes(text[start]!)) start++;
  while (end > start && chars.includes(text[end - 1]!)) end--;
  return text.slice(start, end);
}

/** "On Mon, 23 Nov 2026 at 18:14, Intake <intake@…> wrote:" and its kin in other languages. */
function isWroteLine(line: string): boolean {
  const raw = line.trim();
  const dashed = raw.startsWith('--') && raw.endsWith('--');
  if (!dashed && !raw.endsWith(':') && !raw.endsWith('：')) return false;
  const text = trimChars(raw.toLowerCase(), '-–—:： \t');
  const ending = WROTE_ENDINGS.find((w) => text.endsWith(w));
  if (!ending) return isDatedAddressLine(raw);
  // The word must stand alone ("wrote", not "rewrote"), and the line must name someone or a date.
  const before = text.charAt(text.length - ending.length - 1);
  const cjk = ending.charCodeAt(0) > 0x2e80;
  if (!cjk && before !== '' && before !== ' ' && before !== ')' && before !== '>') return false;
  return dashed || hasDigitOrAt(text) || (cjk && text.length > ending.length);
}

/** Gmail's "2014-10-17 11:28 GMT+03:00 Name <name@example.com>:" (a date first, an address last). */
function isDatedAddressLine(raw: string): boolean {
  const digits = (from: number, n: number) => {
    for (let i = from; i < from + n; i++) {
      const c = raw.charCodeAt(i);
      if (!(c >= 48 && c <= 57)) return false;
    }
    return true;
  };
  const isoDate = digits(0, 4) && raw[4] === '-' && digits(5, 2) && raw[7] === '-' && digits(8, 2);
  const slashDate = digits(0, 4) && raw[4] === '/' && digits(5, 2);
  const dottedDate = digits(0, 2) && raw[2] === '.' && digits(3, 2) && raw[5] === '.';
  if (!isoDate && !slashDate && !dottedDate) return false;
  const body = trimChars(raw, ':： ');
  return (
    body.includes('@') &&
    (body.endsWith('>') || body.endsWith(']') || !body.includes(' ', body.lastIndexOf('@')))
  );
}

function isSeparatorLine(line: string): boolean {
  const raw = line.trim();
  if (!(raw.startsWith('-') || raw.startsWith('_') || raw.startsWith('='))) return false;
  return SEPARATORS.has(trimChars(raw.toLowerCase(), '-_= \t'));
}

/** Words an attribution starts with: "On", "Am", "Le", "El", "Il", "Em", "Op", "Den", "W dniu", "В"… */
// prettier-ignore
const ATTRIBUTION_LEADS = new Set([
  'on', 'am', 'le', 'el', 'il', 'em', 'op', 'den', 'd.', 'w', 'dnia', 'в', 'pe', 'no', 'in', 'de', 'dne',
]);

function opensAttribution(line: string): boolean {
  const text = line.trim().toLowerCase();
  const c = text.charCodeAt(0);
  // "2026-11-23 18:14 …", "23.11.2026, 18:14 …": a date, a time and more; not "1. yes".
  if (c >= 48 && c <= 57) return text.includes(':') && text.split(' ').length >= 3;
  const space = text.indexOf(' ');
  return ATTRIBUTION_LEADS.has(space < 0 ? text : text.slice(0, space)) && hasDigitOrAt(text);
}

/**
 * The index of the line where a quoted original starts, or -1. A "wrote" line split over two lines by
 * the client's wrapping counts from its first line.
 */
export function quoteStart(lines: readonly string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('>')) continue;
    if (
      isSeparatorLine(line) ||
      startsHeaderBlock(lines, i) ||
      isWroteLine(line) ||
      isIntakeAttribution(line)
    )
      return i;
    const next = lines[i + 1];
    if (next === undefined || next.trim() === '') continue;
    // The first half alone must already look like an attribution ("On Mon, 23 Nov 2026, Intake"),
    // not an instruction.
    if (opensAttribution(line) && isWroteLine(`${line.trim()} ${next.trim()}`)) return i;
  }
  return -1;
}
