import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { getAlpha2Codes, getAlpha3Codes } from 'i18n-iso-countries';
import de from 'i18n-iso-countries/langs/de.json';
import en from 'i18n-iso-countries/langs/en.json';
import es from 'i18n-iso-countries/langs/es.json';
import fr from 'i18n-iso-countries/langs/fr.json';
import it from 'i18n-iso-countries/langs/it.json';
import nl from 'i18n-iso-countries/langs/nl.json';
import pt from 'i18n-iso-countries/langs/pt.json';
import { normalizeHeader } from './header-normalize';

/** What one cell's value looks like; a value may look like several things ("DE": Germany or Delaware). */
export type ValueKind =
  | 'email'
  | 'url'
  | 'phone'
  | 'date'
  | 'postalCode'
  | 'country'
  | 'state'
  | 'companyName'
  | 'personName'
  | 'salutation'
  | 'tags'
  | 'boolean'
  | 'id'
  | 'number';

/** The domain is split at its first dot after its first character: no two quantifiers compete for its dots. */
export const VALUE_EMAIL = /^[^\s@]+@[^\s@][^\s@.]*\.[^\s@]{2,}$/;
export const VALUE_URL_WITH_SCHEME = /^(https?:\/\/|www\.)[^\s@]+$/i;
export const VALUE_DOMAIN = /^([a-z0-9-]+\.)+[a-z]{2,}(\/\S*)?$/i;
const DATE = [
  /^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/,
  /^\d{1,2}[./-]\d{1,2}[./-](\d{2}|\d{4})( \d{1,2}:\d{2}(:\d{2})?)?$/,
];
/** Digits with the separators people write in phone numbers. */
const PHONE_LIKE = /^\+?[\d\s().\-/]+$/;
const POSTAL_CODES = [
  /^\d{5}(-\d{4})?$/, // US ZIP, DE, FR, ES, IT
  /^\d{4}$/, // AT, CH, BE, DK, AU
  /^\d{4} ?[a-z]{2}$/i, // NL
  /^[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2}$/i, // UK
  /^[a-z]\d[a-z] ?\d[a-z]\d$/i, // CA
  /^\d{5}-\d{3}$/, // BR
  /^\d{4}-\d{3}$/, // PT
  /^\d{2}-\d{3}$/, // PL
  /^\d{3} \d{2}$/, // CZ, SK, SE
];
/** Yes/no answers in several languages: a flag ("Is a Company", "Accepts Marketing"), not a field. */
const BOOLEANS = new Set(
  'true false yes no y n ja nein oui non si sí nee waar onwaar vero falso sim nao não x'.split(' '),
);
const SALUTATIONS = new Set(
  `mr mrs ms miss mx dr prof sir madam herr frau fr hr m mme mlle monsieur madame sr sra srta don dona
    sig sigra dott ing dhr mevr`.split(/\s+/),
);
/** Legal forms at the end of an organisation's name, in many countries. */
const LEGAL_SUFFIX =
  /(\b|\s)(inc|llc|llp|ltd|limited|plc|corp|corporation|co|company|gmbh|ag|kg|ohg|ug|gbr|e\.? ?v|sarl|sas|sa|eurl|s\.? ?a\.? ?s?|s\.? ?r\.? ?l|s\.? ?p\.? ?a|s\.? ?l|s\.? ?n\.? ?c|b\.? ?v|n\.? ?v|bvba|ab|as|asa|aps|oy|kft|ltda|pty|eireli|& ?(sons|partner|partners|co|filhos|fils|hijos))\.?$/i;
const NAME_WORD = /^(\p{Lu}[\p{L}'’-]*\.?|d[aeiou]|de[lrs]?|la|le|van|von|der|den|ten|ter|bin|al|y|e)$/u;
/** Words of job titles and departments, which are capitalised like names: "Purchasing Manager". */
const JOB_WORDS = new Set(
  `manager director officer engineer assistant head lead owner president consultant developer designer
    analyst specialist coordinator executive partner founder ceo cto cfo coo vp chief sales marketing
    purchasing account accounts support service services team department office admin administrator
    leiter leiterin geschaftsfuhrer geschaftsfuhrerin directeur directrice gerant responsable director
    directora gerente jefe responsabile direttore titolare eigenaar adviseur diretor diretora`.split(/\s+/),
);
/** A tag separator and the blanks after it; the blanks before it are trimmed off the tag instead. */
const TAG_SEPARATOR = /[;|,]\s*/;
const ID_LIKE = [
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, // UUID
  /^(?=\S*\d)(?=\S*[a-z])[a-z0-9_-]{6,}$/i, // 003Dn000001AbCd, ACC-1001, cus_Nf3…
  /^\d{6,}$/,
];

const COUNTRY_LISTS = [en, de, fr, es, it, nl, pt];
const COUNTRY_NAMES = new Set(
  COUNTRY_LISTS.flatMap((l) =>
    Object.values(l.countries as Record<string, string | string[]>).flatMap((n) =>
      (Array.isArray(n) ? n : [n]).map(normalizeHeader),
    ),
  ),
);
const COUNTRY_CODES = new Set([...Object.keys(getAlpha2Codes()), ...Object.keys(getAlpha3Codes()), 'UK']);

/** US states, Canadian provinces, Australian states, Brazilian states, Swiss cantons, German Länder. */
const STATE_CODES = new Set(
  `AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK
    OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR
    AB BC MB NB NL NS NT NU ON PE QC SK YT
    NSW VIC QLD SA WA TAS ACT NT
    AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO
    ZH BE LU UR SZ OW NW GL ZG FR SO BS BL SH AR AI SG GR AG TG TI VD VS NE GE JU
    BW BY BE BB HB HH HE MV NI NW RP SL SN ST SH TH`.split(/\s+/),
);
const STATE_NAMES = new Set(
  [
    ...`Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|
    Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|
    Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|
    Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|
    Virginia|Washington|West Virginia|Wisconsin|Wyoming|District of Columbia|
    Alberta|British Columbia|Manitoba|New Brunswick|Newfoundland and Labrador|Nova Scotia|Ontario|Quebec|Québec|
    Saskatchewan|Prince Edward Island|New South Wales|Victoria|Queensland|Tasmania|South Australia|
    Western Australia|Baden-Württemberg|Bayern|Bavaria|Berlin|Brandenburg|Bremen|Hamburg|Hessen|
    Mecklenburg-Vorpommern|Niedersachsen|Nordrhein-Westfalen|Rheinland-Pfalz|Saarland|Sachsen|Sachsen-Anhalt|
    Schleswig-Holstein|Thüringen|Noord-Holland|Zuid-Holland|Utrecht|Gelderland|Noord-Brabant|Limburg|
    Overijssel|Friesland|Groningen|Drenthe|Flevoland|Zeeland|Île-de-France|Auvergne-Rhône-Alpes|Occitanie|
    Nouvelle-Aquitaine|Bretagne|Normandie|Hauts-de-France|Grand Est|Provence-Alpes-Côte d'Azur|
    Pays de la Loire|Centre-Val de Loire|Bourgogne-Franche-Comté|Andalucía|Cataluña|Catalunya|
    Comunidad de Madrid|Comunitat Valenciana|Galicia|País Vasco|Lombardia|Lazio|Campania|Sicilia|Veneto|
    Piemonte|Toscana|São Paulo|Rio de Janeiro|Minas Gerais|Bahia`.split('|'),
  ].map((s) => normalizeHeader(s.trim())),
);

/** Cells longer than this are read by their head only: a value is evidence, not something to parse whole. */
const MAX_VALUE_LENGTH = 200;

/** Every kind the value may be; empty when it looks like none (free text, a city, a job title). */
export function kindsOf(raw: string): ValueKind[] {
  const v = raw.trim().slice(0, MAX_VALUE_LENGTH);
  if (v === '') return [];
  if (BOOLEANS.has(v.toLowerCase())) return ['boolean'];
  if (VALUE_EMAIL.test(v)) return ['email'];
  if (VALUE_URL_WITH_SCHEME.test(v) || VALUE_DOMAIN.test(v)) return ['url'];
  if (DATE.some((r) => r.test(v))) return ['date'];
  const kinds: ValueKind[] = [];
  if (looksLikePhone(v)) kinds.push('phone');
  if (POSTAL_CODES.some((r) => r.test(v))) kinds.push('postalCode');
  if (/^\d+$/.test(v)) kinds.push('number');
  if (ID_LIKE.some((r) => r.test(v))) kinds.push('id');
  if (kinds.length > 0) return kinds;
  const n = normalizeHeader(v);
  if (COUNTRY_NAMES.has(n) || COUNTRY_CODES.has(v)) kinds.push('country');
  if (STATE_NAMES.has(n) || STATE_CODES.has(v)) kinds.push('state');
  if (kinds.length > 0) return kinds;
  if (SALUTATIONS.has(n)) return ['salutation'];
  if (LEGAL_SUFFIX.test(v)) return ['companyName'];
  if (looksLikePersonName(v)) return ['personName'];
  if (looksLikeTags(v)) return ['tags'];
  return [];
}

function looksLikePhone(v: string): boolean {
  if (!PHONE_LIKE.test(v)) return false;
  const digits = v.replace(/\D/g, '').length;
  if (digits < 7 || digits > 15) return false;
  if (v.startsWith('+')) return parsePhoneNumberFromString(v)?.isPossible() === true;
  // A national number is written with a trunk zero or separators; a bare run of digits is as often an id.
  return v.startsWith('0') || /[\s().\-/]/.test(v);
}

/** "Ana García", "Jean-Luc de la Fontaine": two to four capitalised words, no digits. */
function looksLikePersonName(v: string): boolean {
  const words = v.split(/\s+/);
  if (words.length < 2 || words.length > 4) return false;
  if (!words.every((w) => NAME_WORD.test(w)) || !/^\p{Lu}/u.test(words[words.length - 1] ?? '')) return false;
  return !words.some((w) => JOB_WORDS.has(fold(w)));
}

/** Lower case without accents: "Geschäftsführer" reads "geschaftsfuhrer". */
function fold(w: string): string {
  return w
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** "VIP; Customers", "newsletter, fair": a short list of short labels ("Springfield, IL 62701" is not). */
function looksLikeTags(v: string): boolean {
  const listed = /[;|]/.test(v);
  if (!listed && !v.includes(',')) return false;
  const parts = tagsIn(v).filter((p) => p !== '');
  const short = (p: string): boolean => p.length <= 24 && p.split(/\s+/).length <= 3;
  return parts.length >= 2 && parts.every((p) => short(p) && (listed || !/\d/.test(p)));
}

/**
 * `v` cut at `;`, `|` and `,`, without the blanks around each separator. A pattern with blanks on both
 * sides (`\s*,\s*`) would rescan a long run of blanks from each of its positions: quadratic time.
 */
export function tagsIn(v: string): string[] {
  const parts = v.split(TAG_SEPARATOR);
  return parts.map((p, i) => (i < parts.length - 1 ? p.trimEnd() : p));
}
