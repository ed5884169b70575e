/**
 * The words people use to confirm, cancel and choose options in a reply, in English, German, French and
 * Spanish. Everything is compared after `plainWords`: lower case, accents and punctuation dropped, so
 * "Sí", "si" and "sí!" are one word and "d'accord" is "d accord".
 */

/** Emoji that mean yes; other emoji are decoration. */
const YES_EMOJI = ['👍', '✅', '👌', '✔', '☑', '🆗', '💯'];

/** Letters that do not decompose into a base letter and marks, spelled as people type them without. */
const FOLDED: Record<string, string> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const FOLD = new RegExp(`[${Object.keys(FOLDED).join('')}]`, 'g');

/** A line's words for comparing with the phrase lists (the line is already bounded in length). */
export function plainWords(text: string): string[] {
  let t = text
    .toLowerCase()
    .replace(FOLD, (c) => FOLDED[c] ?? c)
    .replace(/[’‘`´]/g, "'");
  for (const e of YES_EMOJI) t = t.split(e).join(' yes ');
  return t
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/\p{Extended_Pictographic}/gu, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter(Boolean);
}

const phrases = (list: readonly string[]) => list.map((p) => plainWords(p)).filter((p) => p.length);

// prettier-ignore
const CONFIRM = phrases([
  // English
  'yes', 'y', 'yep', 'yup', 'yeah', 'yea', 'sure', 'ok', 'okay', 'k', 'kk', 'confirm', 'confirmed',
  'i confirm', 'approve', 'approved', 'lgtm', 'looks good', 'look good', 'looks great', 'looks fine',
  'looks right', 'looks ok', 'looks correct', 'all good', 'sounds good', 'go ahead', 'go for it', 'go',
  'go on', 'start', 'start it', 'start the import', 'import', 'import it', 'import them',
  'please import', 'do it', 'proceed', 'please proceed', 'fine', 'perfect', 'great', 'correct',
  'that s right', 'thats right', 'right', 'good to go', 'ship it', 'agreed', 'absolutely', 'of course',
  'yes please', 'yes go ahead', 'all correct', 'that works', 'works for me', 'good',
  // German
  'ja', 'jawohl', 'jep', 'passt', 'passt so', 'das passt', 'in ordnung', 'alles gut', 'alles klar',
  'klar', 'genau', 'richtig', 'sieht gut aus', 'bestatigt', 'ich bestatige', 'bestatige',
  'einverstanden', 'los', 'los geht s', 'leg los', 'gerne', 'importieren', 'bitte importieren',
  'starten', 'freigegeben', 'stimmt', 'super', 'prima', 'gut',
  // French
  'oui', 'd accord', 'dac', 'c est bon', 'ca marche', 'parfait', 'tres bien', 'vas y', 'allez y',
  'je confirme', 'confirme', 'valide', 'je valide', 'impeccable', 'nickel', 'c est parfait',
  'importer', 'lancez', 'lance', 'allons y', 'bien', 'ca me va', 'exact', 'c est correct',
  // Spanish
  'si', 'vale', 'de acuerdo', 'claro', 'perfecto', 'adelante', 'confirmo', 'confirmado', 'correcto',
  'esta bien', 'dale', 'genial', 'aprobado', 'listo', 'importalo', 'importar', 'hazlo', 'muy bien',
  'todo bien', 'por supuesto', 'bueno',
]);

// prettier-ignore
const CANCEL = phrases([
  'no', 'nope', 'cancel', 'cancel it', 'cancel the import', 'stop', 'abort', 'forget it', 'never mind',
  "don't import", 'do not import', 'no thanks', 'nein', 'abbrechen', 'bitte abbrechen', 'stopp',
  'nicht importieren', 'non', 'annuler', 'annulez', 'ne pas importer', 'cancelar', 'no importar',
  'no gracias', 'detener',
]);

// prettier-ignore
const UNDO = phrases([
  'undo', 'undo it', 'undo the import', 'undo this import', 'roll back', 'roll it back', 'rollback',
  'revert', 'revert it', 'ruckgangig', 'ruckgangig machen', 'bitte ruckgangig machen', 'annuler l import',
  'defaire', 'deshacer', 'deshacer la importacion', 'revertir',
]);

// prettier-ignore
const RETRY = phrases([
  'retry', 'retry it', 'try again', 'try it again', 'resume', 'resume it', 'erneut versuchen',
  'nochmal versuchen', 'reessayer', 'reintentar',
]);

/** Politeness and greetings around an instruction: read, and allowed to go with one. */
// prettier-ignore
const FILLER = phrases([
  'please', 'pls', 'plz', 'thanks', 'thank you', 'thanks a lot', 'many thanks', 'thx', 'ty', 'cheers',
  'hi', 'hello', 'hey', 'dear intake', 'intake', 'then', 'now', 'just', 'all', 'to me', 'so', 'it',
  'that', 'this', 'the mapping', 'mapping', 'as is', 'as proposed', 'as suggested', 'and', 'but',
  'bitte', 'danke', 'vielen dank', 'danke schon', 'hallo', 'hi intake', 'so', 'dann', 'jetzt',
  'merci', 'merci beaucoup', 's il vous plait', 's il te plait', 'svp', 'bonjour', 'salut', 'alors',
  'gracias', 'muchas gracias', 'por favor', 'hola', 'entonces', 'buenos dias',
]);

// prettier-ignore
const DRY_RUN = phrases([
  'dry run', 'dryrun', 'test run', 'trial run', 'testlauf', 'probelauf', 'trockenlauf',
  'simulation', 'simulacion', 'essai', 'essai a blanc', 'prueba', 'test', 'test first',
]);
// prettier-ignore
const DRY_RUN_FILLER = phrases([
  'first', 'please', 'do a', 'do', 'a', 'just', 'only', 'start with a', 'let s do a', 'try a',
  'zuerst', 'erst', 'erstmal', 'mal', 'bitte', 'einen', 'mach einen', 'faire un', 'd abord', 'un',
  'une', 'primero', 'una', 'haz una', 'solo', 'nur',
]);

/** Words for the records a file already has, and what to do with them. */
const DUPLICATE_WORDS = new Set(
  plainWords(
    'duplicate duplicates dupes dups existing existent existants existantes bestehende vorhandene ' +
      'duplikate dubletten doublons duplicados existentes on-duplicate onduplicate',
  ),
);
// prettier-ignore
const UPDATE_WORDS = phrases([
  'update', 'updated', 'overwrite', 'overwritten', 'merge', 'replace', 'refresh', 'aktualisieren',
  'uberschreiben', 'mettre a jour', 'ecraser', 'actualizar', 'sobrescribir', 'reemplazar',
]);
// prettier-ignore
const FILL_WORDS = phrases([
  'fill', 'fill in', 'fill empty fields', 'fill the empty fields', 'complete', 'erganzen', 'auffullen',
  'completer', 'remplir', 'completar', 'rellenar',
]);
// prettier-ignore
const SKIP_WORDS = phrases([
  'skip', 'skipped', 'keep', 'ignore', 'leave', 'uberspringen', 'behalten', 'ignorieren', 'ignorer',
  'garder', 'omitir', 'mantener', 'ignorar',
]);
// prettier-ignore
const DUPLICATE_FILLER = phrases([
  'use', 'for', 'the', 'records', 'ones', 'them', 'on', 'with', 'to', 'as', 'is', 'be', 'should be',
  'please', 'mode', 'and', 'die', 'der', 'les', 'los', 'las', 'de', 'des', 'para', 'pour', 'fur',
  'mit', 'en', 'y', 'et', 'und', 'records that exist', 'already', 'bitte', 'por favor', 'svp',
]);

/** Whether `words` is made only of the given phrases, each used whole; returns the phrases used. */
function cover(words: readonly string[], lists: readonly (readonly string[][])[]): number[] | null {
  const used: number[] = [];
  let i = 0;
  outer: while (i < words.length) {
    for (let l = 0; l < lists.length; l++) {
      // Longest phrase first, so "looks good" is one phrase rather than "looks" (unknown) + "good".
      let best = 0;
      for (const p of lists[l]!) {
        if (p.length > best && p.every((w, k) => words[i + k] === w)) best = p.length;
      }
      if (best) {
        used.push(l);
        i += best;
        continue outer;
      }
    }
    return null;
  }
  return used;
}

/** Words that only mean yes (plus politeness): "Looks good, thanks", "👍", "passt", "vale". */
export function isConfirmation(words: readonly string[]): boolean {
  const used = cover(words, [CONFIRM, FILLER]);
  return used !== null && used.includes(0);
}

/** "undo", "roll it back", "rückgängig machen": delete what a finished import created. */
export function isUndo(words: readonly string[]): boolean {
  const used = cover(words, [UNDO, FILLER]);
  return used !== null && used.includes(0);
}

export function isRetry(words: readonly string[]): boolean {
  const used = cover(words, [RETRY, FILLER]);
  return used !== null && used.includes(0);
}

export function isCancellation(words: readonly string[]): boolean {
  const used = cover(words, [CANCEL, FILLER]);
  return used !== null && used.includes(0);
}

/** Only politeness and greetings: "Thanks!", "Hi Intake", "merci". */
export function isFiller(words: readonly string[]): boolean {
  return cover(words, [FILLER]) !== null;
}

export function isDryRun(words: readonly string[]): boolean {
  const used = cover(words, [DRY_RUN, DRY_RUN_FILLER, FILLER]);
  return used !== null && used.includes(0);
}

/** "update duplicates", "use update for duplicates", "Duplikate überschreiben", "skip existing". */
export function duplicatesIn(words: readonly string[]): 'skip' | 'update' | 'fill' | null {
  if (!words.some((w) => DUPLICATE_WORDS.has(w))) return null;
  const rest = words.filter((w) => !DUPLICATE_WORDS.has(w));
  const used = cover(rest, [UPDATE_WORDS, SKIP_WORDS, FILL_WORDS, DUPLICATE_FILLER]);
  if (!used) return null;
  const said = (['update', 'skip', 'fill'] as const).filter((_, i) => used.includes(i));
  return said.length === 1 ? said[0]! : null;
}

/** Lines after which a message holds only a signature or the quoted history. */
// prettier-ignore
const SIGN_OFF = phrases([
  'best regards', 'kind regards', 'regards', 'warm regards', 'best wishes', 'best', 'cheers',
  'sincerely', 'yours', 'mit freundlichen grussen', 'freundliche grusse', 'viele grusse', 'beste grusse',
  'liebe grusse', 'grusse', 'gruss', 'lg', 'vg', 'mfg', 'cordialement', 'bien cordialement',
  'bien a vous', 'salutations', 'bonne journee', 'saludos', 'un saludo', 'atentamente',
  'saludos cordiales', 'un abrazo', 'herzliche grusse', 'schone grusse', 'mit besten grussen',
  'hochachtungsvoll', 'tschuss', 'ciao', 'met vriendelijke groet', 'vriendelijke groet', 'groeten',
  'groet', 'mvg', 'med venlig hilsen', 'venlig hilsen', 'hilsen', 'mvh', 'med vanliga halsningar',
  'vanliga halsningar', 'halsningar', 'halsning', 'pozdrawiam', 'z powazaniem', 'cordiali saluti',
  'distinti saluti', 'saluti', 'atenciosamente', 'cumprimentos', 'abracos', 's uvazheniem',
  'с уважением', 'всего доброго',
]);
// prettier-ignore
const FOOTER_START = phrases([
  'sent from my', 'sent from outlook', 'get outlook for', 'sent from mail for', 'sent with',
  'von meinem', 'gesendet von', 'envoye de mon', 'envoye depuis', 'enviado desde', 'sent via',
  'verzonden vanaf', 'verstuurd vanaf', 'sendt fra', 'skickat fran', 'wyslane z', 'inviato da',
  'enviado do', 'отправлено с',
]);

/** A valediction ("Best regards,") or a mobile footer ("Sent from my iPhone"): what follows is not read. */
export function endsInstructions(words: readonly string[]): boolean {
  if (!words.length) return false;
  if (SIGN_OFF.some((p) => p.length === words.length && p.every((w, k) => words[k] === w))) return true;
  return FOOTER_START.some((p) => p.every((w, k) => words[k] === w));
}
