import { CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import {
  callingCodeOf,
  countriesOf,
  hasNumberType,
  isKnownCountry,
  isValidFor,
  leadingCallingCode,
  lengthFit,
  PlanRules,
  planRules,
} from './phone-rules';

/**
 * A phone cell as E.164 when libphonenumber-js deems it valid, null otherwise: always the verdict and
 * the number of `parsePhoneNumberFromString(value, country)` followed by `isValid()`.
 *
 * The common shapes (ASCII digits with spaces, dots, dashes and brackets, an optional leading `+`) take
 * a fast path over compiled numbering-plan rules; whatever the fast path is not sure of (an international
 * dialling prefix, a national prefix with a carrier code, letters, extensions, odd lengths, non-geographic
 * codes) goes to the library. The module checks itself against the library when it loads and uses the
 * library alone if they disagree.
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
  if (callingCode === undefined) return UNSURE;
  return afterCallingCode(callingCode, digits.slice(callingCode.length));
}

/** The rest of a number after its calling code, read under that calling code's main plan. */
function afterCallingCode(callingCode: string, rest: string): Fast {
  if (countriesOf(callingCode) === undefined) return UNSURE;
  const nationalNumber = withoutNationalPrefix(planRules(callingCode), callingCode, rest);
  if (nationalNumber === UNSURE || !plausibleLength(nationalNumber)) return UNSURE;
  const exact = countryOfNumber(callingCode, nationalNumber);
  const valid = isValidFor(planRules(exact ?? callingCode), nationalNumber);
  return valid ? `+${callingCode}${nationalNumber}` : null;
}

function national(digits: string, country: string): Fast {
  const rules = planRules(country);
  const callingCode = callingCodeOf(country);
  if (rules.iddPrefix.test(digits) || countriesOf(callingCode) === undefined) return UNSURE;
  if (digits.startsWith(callingCode)) {
    const calling = callingCodeWithoutPlus(rules, callingCode, digits);
    if (calling !== false) return calling;
  }
  const nationalNumber = withoutNationalPrefix(rules, callingCode, digits);
  if (nationalNumber === UNSURE || !plausibleLength(nationalNumber)) return UNSURE;
  const exact = countryOfNumber(callingCode, nationalNumber);
  const valid = isValidFor(planRules(exact ?? country), nationalNumber);
  return valid ? `+${callingCode}${nationalNumber}` : null;
}

/**
 * A national-looking number that starts with the country's calling code (`1 415 555 0100` in the US) is
 * read as international when, under the country's plan, the whole of it does not fit and the rest does, or
 * the whole is too long; false when it stays national.
 */
function callingCodeWithoutPlus(rules: PlanRules, callingCode: string, digits: string): Fast | false {
  const shorter = digits.slice(callingCode.length);
  if (shorter.length < MIN_NATIONAL) return UNSURE;
  const shorterNational = withoutNationalPrefix(rules, callingCode, shorter);
  const whole = withoutNationalPrefix(rules, callingCode, digits);
  if (shorterNational === UNSURE || whole === UNSURE) return UNSURE;
  const international =
    (!rules.general.test(whole) && rules.general.test(shorterNational)) ||
    lengthFit(whole, rules.lengths) === 'TOO_LONG';
  return international ? afterCallingCode(callingCode, shorter) : false;
}

/**
 * The number without its national prefix (a trunk 0, say) when the plan's rules take it off: not when
 * the whole number fits the plan and the rest does not, nor when the rest is too short or of a length
 * the plan never has. Prefixes that carry a carrier code or rewrite digits are left to the library.
 */
function withoutNationalPrefix(
  rules: PlanRules,
  callingCode: string,
  number: string,
): string | typeof UNSURE {
  const match = rules.nationalPrefix?.exec(number);
  if (!match) return number;
  if (match.length > 1) return UNSURE;
  const rest = number.slice(match[0].length);
  if (rest === number) return number;
  if (rules.general.test(number) && !rules.general.test(rest)) return number;
  if (!rules.lengths) return rest;
  const country = countryOfNumber(callingCode, rest);
  const fit = lengthFit(rest, country ? planRules(country).lengths : rules.lengths);
  return fit === 'TOO_SHORT' || fit === 'INVALID_LENGTH' ? number : rest;
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
  ['1-415-555-0100', 'US'],
  ['1 416 555 0100', 'CA'],
  ['44 20 7946 0958', 'GB'],
  ['+1 000 000 0000', 'US'],
  ['+1 416 555 0100', 'GB'],
  ['+1 268 464 1234', 'US'],
  ['+44 20 7946 0958', 'US'],
  ['+44 7624 123456', 'DE'],
  ['020 7946 0958', 'GB'],
  ['+44 (0)20 7946 0958', 'US'],
  ['06 12 34 56 78', 'FR'],
  ['8 (912) 345-67-89', 'RU'],
  ['0 800 123', 'DE'],
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
