/**
 * Header normalisation shared by the mapping suggester, the learned mappings and the field aliases:
 * two headers that a person would read as the same words normalise to the same string.
 */
export function normalizeHeader(h: string): string {
  return splitWords(h.normalize('NFKC')) // full-width and ligature letters as plain ones: "Ｅｍａｉｌ"
    .normalize('NFD')
    .replace(/\p{M}+/gu, '') // strip accents: "Prénom" → "Prenom"
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/#/g, ' number ') // "Mobile #" reads "mobile number"
    .replace(/\be[\s._-]*mail/g, 'email') // "E-Mail", "e mail", "E_mail" → "email"
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Normalised header as words; empty for a blank header. */
export function tokenizeHeader(h: string): string[] {
  const n = normalizeHeader(h);
  return n === '' ? [] : n.split(' ');
}

/** Splits camelCase, acronyms and letter/digit runs: "MailingPostalCode", "OPTIN_TIME", "Address1". */
function splitWords(h: string): string {
  return h
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .replace(/(\p{L})(\p{N})/gu, '$1 $2')
    .replace(/(\p{N})(\p{L})/gu, '$1 $2');
}
