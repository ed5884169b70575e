import { FieldDef, FieldKey } from '../field-catalog';
import { RecordType } from '../record-type';
import { PLACE_WORDS } from './header-blocks';

/**
 * Words that change how much a header word counts when a header only contains an alias
 * ("Business City", "Person - Email - Work", "E-mail 2 Address"). Lists are space-separated to stay readable.
 */
function words(list: string): string[] {
  return list.split(/\s+/).filter((w) => w !== '');
}

/** Dropped from headers and from aliases of three words or more before comparing words. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  words(`of the a an and or to on at by for in s your
    de del la le les des du d l y et el los las en und der die das von da do`),
);

/** Qualifiers that say which of several values, not what the value is: free when left over. */
const QUALIFIERS = words(`primary main default preferred current business work home personal private office
  mailing billing shipping physical postal value line info code no nr full official 1 principal principale
  haupt`);

/** The record's own entity as a prefix ("Person - Name", "Organization - Website") is a qualifier too. */
const PEOPLE_ENTITIES = words('person contact customer client lead prospect member subscriber');
const ENTITY_WORDS: Record<RecordType, readonly string[]> = {
  clients: PEOPLE_ENTITIES,
  leads: PEOPLE_ENTITIES,
  companies: words('organization organisation company account firm'),
};

export function qualifiersOf(type: RecordType): ReadonlySet<string> {
  return new Set([...QUALIFIERS, ...PLACE_WORDS, ...ENTITY_WORDS[type]]);
}

/** "Which one" words that make a column the preferred one among several of a field. */
export const PRIMARY_WORDS: ReadonlySet<string> = new Set(words('primary main principal principale haupt'));

/** Metadata about a value, or another thing entirely: a header with one of these is rarely the field. */
export const STRONG_PENALTY: ReadonlySet<string> = new Set(
  words(`type label display yomi phonetic id ids uid guid date time timestamp created modified updated
    changed added add activity owned inhaber kontaktinhaber opt optin optout out consent verified bounced unsubscribed marketing owner
    fax telefax pager telex isdn skype twitter linkedin facebook instagram xing box
    prefix suffix middle maiden nickname short initials department abteilung
    balance total spent amount revenue currency count score rating ip latitude longitude timezone
    birthday birth birthdate anniversary gender number last first given family
    assistant assistants asst assistent assistente manager spouse children referred reports deal deals opportunity orders order
    vat tax exempt card photo avatar image picture language locale titel salutation anrede civilite
    ext extension status visits views bank blacklisted blocklisted blocked`),
);

/** Second choices: "E-mail 2", "Other Phone", "Secondary Email". */
export const WEAK_PENALTY: ReadonlySet<string> = new Set(
  words('other secondary alternate alt additional second third weitere autre otro'),
);

/** Left over beside these fields, these words describe the same thing ("Address City", "Email Address"). */
export const FIELD_CONTEXT: Partial<Record<FieldKey, readonly string[]>> = {
  email: ['address', 'adresse'],
  company: ['address'],
  jobTitle: ['organization', 'organisation', 'company'],
  phone: ['number'],
  address: ['street', 'line', 'company'],
  city: ['address'],
  state: ['address'],
  postalCode: ['address'],
  country: ['address'],
  employees: ['number'],
};

/** A column with one of these words is never a phone number, whatever else it says. */
export const NEVER_PHONE: ReadonlySet<string> = new Set(words('fax telefax pager telex'));

/** Everything a header may be called to name the field: its label, its key and its aliases. */
export function namesOf(def: FieldDef): string[] {
  return [def.label, def.key, ...def.aliases];
}
