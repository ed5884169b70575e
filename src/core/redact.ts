// Both patterns run in time linear in the length of any text, with a small constant.
// An address: its local part is a whole run of address characters (the look-behind lets a match start only
// where such a run starts, so a long run without an `@` is read once, not from each of its characters);
// its domain is bounded, up to 255 characters (RFC 5321).
export const EMAIL = /(?<![^\s"'<>(),;:@])[^\s"'<>(),;:@]+@[^\s"'<>(),;:@]{1,255}\.[a-z]{2,24}/gi;
// A phone: 8 to 26 digits, spaces and punctuation, standing alone: never a run of digits inside an
// id such as a 24-hex ObjectId, whose neighbours are letters or digits.
export const PHONE = /(?<![\w+(])[+(]?\d[\d\s().-]{6,24}\d(?![\w])/g;
/** E.164 numbers have at most 15 digits; a longer run is an id or an amount, not a phone. */
const MAX_PHONE_DIGITS = 15;

/** Logs never carry people's emails or phone numbers: mask them in any text bound for a log line. */
export function redact(text: string): string {
  return text.replace(EMAIL, '<email>').replace(PHONE, (m) => {
    const digits = m.replace(/\D/g, '').length;
    return digits > MAX_PHONE_DIGITS ? m : '<phone>';
  });
}
