/** How a number cell is shown, from its style's number format. */
export type NumberStyle = 'number' | 'date' | 'datetime' | 'time' | 'percent';

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
  ...[18, 19, 20, 21, 32, 33, 45, 46, 47, 55, 56].map((id) => [id, 'time'] as const),
  [22, 'datetime'],
]);

/** A number format's style: built-in ids by table, custom codes by their date and time letters. */
export function styleOfFormat(id: number, code: string | undefined): NumberStyle {
  if (code === undefined) return BUILTIN.get(id) ?? 'number';
  // Only the first section (positive numbers) says how a value looks; quoted text and [colour] do not count.
  const section = (code.slice(0, MAX_FORMAT_CODE).split(';')[0] ?? '')
    .replace(FORMAT_LITERALS, '')
    .replace(/AM\/PM|A\/P/gi, '');
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

/** The text of a number cell (`raw` as stored in the sheet) in its style. */
export function numberCellText(raw: string, style: NumberStyle, date1904: boolean): string {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) return raw;
  if (style === 'percent') return `${plainNumber(Number((value * 100).toPrecision(15)))}%`;
  if (style !== 'number') return serialToIso(value, style, date1904) ?? plainNumber(value);
  return plainNumber(value);
}
