import { RecordType } from '../record-type';
import { dominantKind, readColumn } from './column-evidence';
import { normalizeHeader, tokenizeHeader } from './header-normalize';
import { FieldScore, scoreHeader, SUGGESTION_THRESHOLD } from './header-scorer';

/** Words in a header that only a file about organisations has. */
const COMPANY_WORDS = new Set('revenue domain ticker sic naics ownership founded umsatz'.split(' '));
const LEAD_WORDS = new Set('lead leads prospect prospects'.split(' '));
/** Whole headers that suggest leads; one alone is not enough ("Status" of a subscription). */
const LEAD_HEADERS = new Set('source status stage rating converted fuente origen estado'.split(' '));
/** Words of a marketing list, a form or a network of connections: people not yet customers. */
const LEAD_SIGNALS = new Set('optin opt subscribed subscriber subscription member'.split(' '));
/** "How did you hear about us?", "Connected On", "Campaign", "utm_source", "Audience": one is enough. */
const STRONG_LEAD_SIGNALS = new Set(
  'hear connected campaign campaigns utm audience attendee registrant'.split(' '),
);
/** "Lead Source" in several languages: contact exports carry it too, so it counts like one weak signal. */
const LEAD_SOURCE_HEADERS = new Set(
  ['lead source', 'lead quelle', 'leadquelle', 'source du lead', 'origen del lead', 'fuente del lead'].map(
    normalizeHeader,
  ),
);
/** "Account Name", "Account Number", "(Do Not Modify) Account": a CRM's accounts (organisations) export. */
const ACCOUNT_WORDS = new Set('account accounts organization organisation org'.split(' '));
/** "Contact Owner", "Customer ID": the export of a contacts or customers list. */
const CLIENT_ENTITIES = new Set('contact contacts customer client kunde cliente'.split(' '));

/**
 * Companies when the file is about organisations (an organisation name and no person's name, or a
 * CRM's accounts), leads when lead signals (lead, source and status, opt-in, subscribed, campaign,
 * "how did you hear") outweigh contact-ish columns, else clients. The head rows' values tell a column of
 * people's names under a header that says nothing.
 */
export function guessType(headers: readonly string[], samples: readonly (readonly string[])[]): RecordType {
  if (looksLikeCompanies(headers, samples)) return 'companies';
  const lead = leadScore(headers);
  return lead >= 2 && lead > clientScore(headers) ? 'leads' : 'clients';
}

function looksLikeCompanies(headers: readonly string[], samples: readonly (readonly string[])[]): boolean {
  const people = headers.map((h) => best(scoreHeader('clients', h)));
  const orgs = headers.map((h) => best(scoreHeader('companies', h)));
  if (!orgs.includes('name')) return false;
  const firstOrLast = people.some((f) => f === 'firstName' || f === 'lastName');
  if (!firstOrLast && accountColumns(headers) >= 2) return true;
  // A column of people's names under a header that says nothing ("Nm", "Column1").
  const namedByValues = headers.some(
    (h, i) => people[i] === null && orgs[i] === null && dominantKind(readColumn(samples, i)) === 'personName',
  );
  if (namedByValues) return false;
  // A bare "Name" is a person's when another column holds the company ("Name, Company, Email").
  const bareName = headers.some((h) => normalizeHeader(h) === 'name');
  const orgNamed = people.includes('company');
  const personName = people.some(
    (f, i) =>
      f === 'firstName' ||
      f === 'lastName' ||
      (f === 'fullName' && normalizeHeader(headers[i] ?? '') !== 'name'),
  );
  if (personName || (bareName && orgNamed)) return false;
  const hasEmail = people.includes('email');
  const signals =
    orgs.filter((f) => f === 'industry' || f === 'employees').length + companyWordCount(headers);
  return signals >= 2 || (!hasEmail && (signals >= 1 || orgNamed));
}

function accountColumns(headers: readonly string[]): number {
  return headers.filter((h) => tokenizeHeader(h).some((w) => ACCOUNT_WORDS.has(w))).length;
}

function companyWordCount(headers: readonly string[]): number {
  return headers.filter((h) => tokenizeHeader(h).some((w) => COMPANY_WORDS.has(w))).length;
}

function best(scores: readonly FieldScore[]): FieldScore['field'] | null {
  const top = scores[0];
  return top && top.score >= SUGGESTION_THRESHOLD ? top.field : null;
}

/** "Lead Source" alone is weak: contact exports carry it too. */
function leadScore(headers: readonly string[]): number {
  return headers.reduce((sum, h) => {
    const n = normalizeHeader(h);
    if (LEAD_SOURCE_HEADERS.has(n)) return sum + 1;
    const words = tokenizeHeader(h);
    if (words.some((w) => LEAD_WORDS.has(w) || STRONG_LEAD_SIGNALS.has(w))) return sum + 2;
    if (words.some((w) => LEAD_SIGNALS.has(w))) return sum + 1;
    return sum + (LEAD_HEADERS.has(n) ? 1 : 0);
  }, 0);
}

function clientScore(headers: readonly string[]): number {
  return headers.reduce((sum, h) => {
    const words = tokenizeHeader(h);
    if (words.length > 1 && CLIENT_ENTITIES.has(words[0] ?? '')) return sum + 2;
    // Salesforce's contact export links each person to an account.
    return sum + (words.join(' ') === 'account id' ? 1 : 0);
  }, 0);
}
