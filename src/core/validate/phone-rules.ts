import { CountryCode, getCountryCallingCode, Metadata } from 'libphonenumber-js/core';
import metadataJson from 'libphonenumber-js/min/metadata';

/**
 * libphonenumber-js's numbering plans (the "min" metadata, the one its default entry point uses) turned
 * into compiled regular expressions once per country. The library itself builds a new RegExp from the
 * metadata's pattern text on every match, which is most of the cost of parsing a number.
 */

/** Methods of the library's public `Metadata` class and its numbering plan that its typings leave out. */
interface PlanView {
  nationalNumberPattern(): string;
  nationalPrefixForParsing(): string | undefined;
  possibleLengths(): number[] | undefined;
  leadingDigits(): string | undefined;
  IDDPrefix(): string;
  hasTypes(): boolean;
  type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}
interface MetadataView {
  hasCountry(country: string): boolean;
  hasCallingCode(callingCode: string): boolean;
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
  selectNumberingPlan(countryOrCallingCode: string): void;
  numberingPlan?: PlanView;
}

/** The number types the library tries, in its order; a number of none of them is not valid. */
const TYPES = [
  'FIXED_LINE',
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
] as const;

export interface PlanRules {
  /** The whole national number matches the plan's general pattern. */
  readonly general: RegExp;
  /** The plan's number types, or null when the metadata has no types for it. */
  readonly types:
    readonly { readonly pattern: RegExp; readonly lengths: readonly number[] | undefined }[] | null;
  /** A match at the start tells the country among those sharing a calling code. */
  readonly leadingDigits: RegExp | null;
  /** The national prefix (e.g. a trunk 0) as the plan parses it, at the start. */
  readonly nationalPrefix: RegExp | null;
  /** The lengths a national number of the plan may have, shortest first. */
  readonly lengths: readonly number[] | undefined;
  /** The international dialling prefix (e.g. 00, 011), at the start. */
  readonly iddPrefix: RegExp;
}

const metadata = new Metadata(metadataJson) as unknown as MetadataView;
const rulesBySelector = new Map<string, PlanRules>();
const callingCodes = new Map<string, string>();

const whole = (pattern: string) => new RegExp(`^(?:${pattern})$`);
const atStart = (pattern: string) => new RegExp(`^(?:${pattern})`);

function compile(plan: PlanView): PlanRules {
  const types = plan.hasTypes()
    ? TYPES.flatMap((name) => {
        const t = plan.type(name);
        const pattern = t?.pattern();
        return t && pattern ? [{ pattern: whole(pattern), lengths: t.possibleLengths() }] : [];
      })
    : null;
  const leading = plan.leadingDigits();
  const prefix = plan.nationalPrefixForParsing();
  return {
    general: whole(plan.nationalNumberPattern()),
    types,
    leadingDigits: leading ? atStart(leading) : null,
    nationalPrefix: prefix ? atStart(prefix) : null,
    lengths: plan.possibleLengths(),
    iddPrefix: atStart(plan.IDDPrefix()),
  };
}

/** The rules of the plan the library selects for a country code or a calling code. */
export function planRules(countryOrCallingCode: string): PlanRules {
  let rules = rulesBySelector.get(countryOrCallingCode);
  if (!rules) {
    metadata.selectNumberingPlan(countryOrCallingCode);
    rules = compile(metadata.numberingPlan!);
    rulesBySelector.set(countryOrCallingCode, rules);
  }
  return rules;
}

export function isKnownCountry(country: string): boolean {
  return /^[A-Z]{2}$/.test(country) && metadata.hasCountry(country);
}

export function callingCodeOf(country: string): string {
  let code = callingCodes.get(country);
  if (code === undefined) {
    code = getCountryCallingCode(country as CountryCode, metadataJson);
    callingCodes.set(country, code);
  }
  return code;
}

/** The calling code `digits` start with (1 to 3 digits), as the library reads it after a `+`. */
export function leadingCallingCode(digits: string): string | undefined {
  for (let i = 1; i <= 3 && i <= digits.length; i++) {
    const code = digits.slice(0, i);
    if (metadata.hasCallingCode(code)) return code;
  }
  return undefined;
}

/** The countries sharing a calling code, main one first; undefined for non-geographic codes. */
export function countriesOf(callingCode: string): readonly string[] | undefined {
  return metadata.getCountryCodesForCallingCode(callingCode);
}

/** The national number is of one of the plan's number types. */
export function hasNumberType(rules: PlanRules, nationalNumber: string): boolean {
  if (rules.types === null || !rules.general.test(nationalNumber)) return false;
  for (const t of rules.types) {
    if (t.lengths && !t.lengths.includes(nationalNumber.length)) continue;
    if (t.pattern.test(nationalNumber)) return true;
  }
  return false;
}

/** Whether a national number's length is one of the plan's, as the library grades it. */
export function lengthFit(
  nationalNumber: string,
  lengths: readonly number[] | undefined,
): 'IS_POSSIBLE' | 'TOO_SHORT' | 'TOO_LONG' | 'INVALID_LENGTH' {
  if (!lengths) return 'IS_POSSIBLE';
  const n = nationalNumber.length;
  if (lengths[0] === n) return 'IS_POSSIBLE';
  if (lengths[0]! > n) return 'TOO_SHORT';
  if (lengths[lengths.length - 1]! < n) return 'TOO_LONG';
  return lengths.indexOf(n, 1) >= 0 ? 'IS_POSSIBLE' : 'INVALID_LENGTH';
}

/** The library's validity of a national number under a plan: a number type, or the general pattern when the plan has no types. */
export function isValidFor(rules: PlanRules, nationalNumber: string): boolean {
  return rules.types === null ? rules.general.test(nationalNumber) : hasNumberType(rules, nationalNumber);
}
