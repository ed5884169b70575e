import { CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import {
  callingCodeOf,
  countriesOf,
  hasNumberType,
  isKnownCountry,
  isValidFor,
  leadingCallingCode,
  planRules,
} from './phone-rules';

/**
 * A phone cell as E.164 when libphonenumber-js deems it valid, null otherwise: always the verdict and
 * the number of `parsePhoneNumberFromString(value, country)` followed by `isValid()`.
 *
 * The common shapes (ASCII digits with spaces, dots, dashes and brackets, an optional leading `+`) take
 * a fast path over compiled numbering-plan rules; whatever the fast path is not sure of (a national or
 * international dialling prefix, the country's calling code written without `+`, letters, extensions,
 * odd lengths, non-geographic codes) goes to the library. The module checks itself against the library
 * when it loads and uses the library alone if they disagree.
 */
export function phoneToE164(value: string, country: string): string | null {
  if (fastPathOn) {
    const fast = fastE164(value, country);
    if (fast !== UNSURE) return fast;
  }
  return viaLibrary(value, country);
}

const UNSURE = Symbol('unsure');
type Fast = string | null | typeof UNSURE;

/** Punctuation, an optional `+` before the first digit, digits and punctuation: nothing the library would strip as text, extension or URI. */
const PLAIN_SHAPE = /^[ ().-]*\+?[0-9][0-9 ().-]*$/;
const NOT_DIGIT = /[^0-9]/g;
const MAX_PLAIN_LENGTH = 64;
const MIN_NATIONAL = 2;
const MAX_NATIONAL = 17;

function fastE164(value: string, country: string): Fast {
  if (value.length > MAX_PLAIN_LENGTH || !PLAIN_SHAPE.test(value) || !isKnownCountry(country)) return UNSURE;
  const digits = value.replace(NOT_DIGIT, '');
  if (digits.length < 3) return UNSURE;
  return value.includes('+') ? international(digits) : national(digits, country);
}

function international(digits: string): Fast {
  if (digits[0] === '0') return UNSURE;
  const callingCode = leadingCallingCode(digits);
  if (callingCode === undefined || countriesOf(callingCode) === undefined) return UNSURE;
  const nationalNumber = digits.slice(callingCode.length);
  if (!plausibleLength(nationalNumber)) return UNSURE;
  if (planRules(callingCode).nationalPrefix?.test(nationalNumber)) return UNSURE;
  const exact = countryOfNumber(callingCode, nationalNumber);
  const valid = isValidFor(planRules(exact ?? callingCode), nationalNumber);
  return valid ? `+${callingCode}${nationalNumber}` : null;
}

function national(digits: string, country: string): Fast {
  const rules = planRules(country);
  const callingCode = callingCodeOf(country);
  if (rules.iddPrefix.test(digits) || digits.startsWith(callingCode)) return UNSURE;
  if (!plausibleLength(digits) || rules.nationalPrefix?.test(digits)) return UNSURE;
  if (countriesOf(callingCode) === undefined) return UNSURE;
  const exact = countryOfNumber(callingCode, digits);
  const valid = isValidFor(planRules(exact ?? country), digits);
  return valid ? `+${callingCode}${digits}` : null;
}

const plausibleLength = (n: string) => n.length >= MIN_NATIONAL && n.length <= MAX_NATIONAL;

/** Among the countries sharing a calling code, the first whose leading digits or number types fit. */
function countryOfNumber(callingCode: string, nationalNumber: string): string | undefined {
  const countries = countriesOf(callingCode)!;
  if (countries.length === 1) return countries[0];
  for (const c of countries) {
    const rules = planRules(c);
    if (rules.leadingDigits ? rules.leadingDigits.test(nationalNumber) : hasNumberType(rules, nationalNumber))
      return c;
  }
  return undefined;
}

function viaLibrary(value: string, country: string): string | null {
  const parsed = parsePhoneNumberFromString(value, country as CountryCode);
  return parsed && parsed.isValid() ? parsed.number : null;
}

/** Numbers in each shape the fast path takes, valid and not; the check at load compares them with the library. */
const SELF_CHECK: readonly (readonly [string, string])[] = [
  ['+1 202 555 0100', 'US'],
  ['(415) 555-0100', 'US'],
  ['415.555.0100', 'US'],
  ['+1 000 000 0000', 'US'],
  ['+1 416 555 0100', 'GB'],
  ['+1 268 464 1234', 'US'],
  ['+44 20 7946 0958', 'US'],
  ['+44 7624 123456', 'DE'],
  ['020 7946 0958', 'GB'],
  ['+49 30 901820', 'US'],
  ['030 901820', 'DE'],
  ['+33 1 42 68 53 00', 'FR'],
  ['+34 912 345 678', 'ES'],
  ['+7 701 123 4567', 'RU'],
  ['+7 912 345 6789', 'KZ'],
  ['+61 2 9374 4000', 'AU'],
  ['+800 1234 5678', 'US'],
  ['12345', 'US'],
  ['+999 123 4567', 'US'],
];

function selfCheck(): boolean {
  try {
    return SELF_CHECK.every(([v, c]) => {
      const fast = fastE164(v, c);
      return fast === UNSURE || fast === viaLibrary(v, c);
    });
  } catch {
    return false;
  }
}

const fastPathOn = selfCheck();

/** Whether the fast path passed its check at load (tests assert it, so a library upgrade that breaks it is seen). */
export const phoneFastPathEnabled = (): boolean => fastPathOn;
