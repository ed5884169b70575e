/**
 * How a number cell is shown, from its style's number format. The elapsed styles are formats such as
 * `[h]:mm:ss`, `[mm]:ss` and `[ss]`: a duration counted in the bracketed unit past 24 hours or 60
 * minutes, never a date.
 */
export type NumberStyle =
  | 'number'
  | 'date'
  | 'datetime'
  | 'time'
  | 'percent'
  | 'elapsed-hms'
  | 'elapsed-hm'
  | 'elapsed-ms'
  | 'elapsed-s';

/**
 * Excel takes number formats of at most 255 characters; a longer code is read by its head. The bound also
 * keeps FORMAT_LITERALS cheap: an unclosed `[` makes it read on to the code's end, once per `[`.
 */
export const MAX_FORMAT_CODE = 255;
/** What a format shows as is, not as a date or number: "quoted text", \x, [colour], _x (space), *x (fill). */
export const FORMAT_LITERALS = /"[^"]*"|\\.|\[[^\]]*\]|_.|\*./g;

/** Excel's built-in number formats that show a date, a time or a percent (ids 27–58: East Asian locales). */
const BUILTIN = new Map<number, NumberStyle>([
  ...[9, 10].map((id) => [id, 'percent'] as const),
  ...[14, 15, 16, 17, 27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 57, 58].map(
    (id) => [id, 'date'] as const,
  ),
  ...[18, 19, 20, 21, 32, 33, 45, 47, 55, 56].map((id) => [id, 'time'] as const),
  [46, 'elapsed-hms'],
  [22, 'datetime'],
]);

/** The unit of an elapsed-time format's first `[h]`, `[mm]` or `[ss]`, scanned without a regex. */
function elapsedUnit(section: string): 'h' | 'm' | 's' | null {
  for (let at = section.indexOf('['); at >= 0; at = section.indexOf('[', at + 1)) {
    const end = section.indexOf(']', at);
    if (end < 0) return null;
    const inside = section.slice(at + 1, end).toLowerCase();
    const unit = inside[0];
    if ((unit === 'h' || unit === 'm' || unit === 's') && inside === unit.repeat(inside.length)) return unit;
  }
  return null;
}

/** A number format's style: built-in ids by table, custom codes by their date and time letters. */
export function styleOfFormat(id: number, code: string | undefined): NumberStyle {
  if (code === undefined) return BUILTIN.get(id) ?? 'number';
  // Only the first section (positive numbers) says how a value looks; quoted text and [colour] do not count.
  const first = code.slice(0, MAX_FORMAT_CODE).split(';')[0] ?? '';
  const unit = elapsedUnit(first);
  if (unit) {
    const seconds = /s/i.test(first.replace(FORMAT_LITERALS, ''));
    if (unit === 'h') return seconds ? 'elapsed-hms' : 'elapsed-hm';
    return unit === 'm' ? 'elapsed-ms' : 'elapsed-s';
  }
  const section = first.replace(FORMAT_LITERALS, '').replace(/AM\/PM|A\/P/gi, '');
  const letters = section.toLowerCase().replace(/[^ymdhs]/g, '');
  const time = /[hs]/.test(letters);
  // A lone "m" is a month; next to hours or seconds it is minutes.
  const date = /[yd]/.test(letters) || (!time && letters.includes('m'));
  if (date) return time ? 'datetime' : 'date';
  if (time) return 'time';
  return section.includes('%') ? 'percent' : 'number';
}

const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
// Serials before 1 March 1900 come before Excel's phantom 29 February 1900.
const EPOCH_1900_EARLY = Date.UTC(1899, 11, 31);
const EPOCH_1904 = Date.UTC(1904, 0, 1);
/** 9999-12-31, Excel's last date. */
const MAX_SERIAL = 2_958_465;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** An Excel serial as an ISO date, date-time or time, to the second; null when it is no date. */
export function serialToIso(serial: number, style: NumberStyle, date1904: boolean): string | null {
  if (!Number.isFinite(serial) || serial < 0 || serial > MAX_SERIAL) return null;
  const epoch = date1904 ? EPOCH_1904 : serial < 60 ? EPOCH_1900_EARLY : EPOCH_1900;
  const seconds = Math.round(serial * 86_400);
  const at = new Date(epoch + Math.floor(seconds / 86_400) * DAY_MS + (seconds % 86_400) * 1000);
  const day = `${pad(at.getUTCFullYear(), 4)}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
  const time = `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
  if (style === 'time' && serial < 1) return time;
  if (style === 'date') return day;
  return `${day}T${time}`;
}

/**
 * A number as people typed it: integers with all their digits (a phone stored as a number never
 * becomes 1.2E+10), fractions to Excel's 15 significant digits (0.1+0.2 shows as 0.3).
 */
export function plainNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
  return String(Number(value.toPrecision(15)));
}

/** A duration in days as an elapsed-time format shows it: 10.632060185 → "255:10:10" for `[hh]:mm:ss`. */
export function elapsedText(days: number, style: NumberStyle): string {
  const sign = days < 0 ? '-' : '';
  const total = Math.round(Math.abs(days) * 86_400);
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  if (style === 'elapsed-s') return `${sign}${total}`;
  if (style === 'elapsed-ms') return `${sign}${Math.floor(total / 60)}:${pad(s)}`;
  if (style === 'elapsed-hm') return `${sign}${h}:${pad(m)}`;
  return `${sign}${h}:${pad(m)}:${pad(s)}`;
}

/** The text of a number cell (`raw` as stored in the sheet) in its style. */
export function numberCellText(raw: string, style: NumberStyle, date1904: boolean): string {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) return raw;
  if (style.startsWith('elapsed')) return elapsedText(value, style);
  if (style === 'percent') return `${plainNumber(Number((value * 100).toPrecision(15)))}%`;
  if (style !== 'number') return serialToIso(value, style, date1904) ?? plainNumber(value);
  return plainNumber(value);
}

/**
 * Text as Excel stores what XML cannot hold: `_xHHHH_` is the character HHHH (`_x000D_` a carriage
 * return), and `_x005F_` an underscore, so `_x005F_x000D_` is the text "_x000D_". One left-to-right pass.
 */
export const XML_ESCAPE = /_x([0-9A-Fa-f]{4})_/g;
export function unescapeCellText(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(XML_ESCAPE, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
