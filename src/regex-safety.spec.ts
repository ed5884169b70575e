// The regular expressions that read outside text (file contents, cells, headers, mail, Slack text, request
// bodies, file names) must run in time linear in that text: V8's engine backtracks, and a pattern whose
// quantifiers compete for the same characters can take minutes on one crafted megabyte cell. Each entry
// below runs the product's own pattern, or the function that applies it under its own bound, on megabyte
// texts built to make such patterns backtrack. A new pattern on outside text belongs in GUARDED.
import { CLAUSE_BREAK } from './doors/email/reply-clauses';
import { parseReply } from './doors/email/reply-command.parser';
import { quoteStart } from './protocols/mail/quoted-original';
import { visibleReply } from './protocols/mail/visible-reply';
import { plainWords } from './doors/email/reply-phrases';
import { END_QUOTES, TARGET_SEPARATOR } from './doors/email/reply-corrections';
import { authorOf, headerValues } from './protocols/mail/author-address';
import { parseHeaderBlock } from './protocols/mail/automated-mail';
import { extensionOf } from './protocols/mail/csv-part';
import { allowCandidates, parseRecipient } from './doors/email/email-address';
import { normalizeAddress } from './protocols/mail/mail-address';
import { replySubject } from './protocols/mail/outgoing-mail';
import { bearerToken, presentedSecret } from './protocols/http/admin-auth';
import { fileKind } from './protocols/slack/file-kind';
import { isSlackFileUrl } from './protocols/slack/slack-file-url';
import { NAMED_CUSTOM } from './engine/imports/mapping-change';
import { safeFileName } from './engine/use-cases/propose/safe-file-name';
import { ALLOWED_SENDER } from './engine/workspaces/workspaces.service';
import { customKeyFor } from './core/custom-field';
import { companyDomain, LEADING_SCHEME, TRAILING_DOTS } from './core/dedupe/company-domain';
import { normalizeHeader } from './core/mapping/header-normalize';
import {
  kindsOf,
  tagsIn,
  VALUE_DOMAIN,
  VALUE_EMAIL,
  VALUE_URL_WITH_SCHEME,
} from './core/mapping/value-kinds';
import { styleOfFormat, unescapeCellText } from './core/parse/cell-text';
import { DATA_DATE, DATA_EMAIL, DATA_NUMBER_OR_PHONE } from './core/parse/file-sniffer';
import { MERGE_TAG, MergeScanner } from './core/parse/merged-cells';
import { EMAIL as REDACT_EMAIL, PHONE as REDACT_PHONE, redact } from './core/redact';
import { reportColumnsIn, unguardCell } from './core/report/report-roundtrip';
import { phoneToE164 } from './core/validate/phone-e164';
import {
  companyKey,
  normalizeEmail,
  normalizeWebsite,
  parseEmployees,
  splitFullName,
  splitTags,
} from './core/validate/value-normalizers';

/** A text of about `size` characters: `head`, then `unit` repeated, then `tail` (which makes a match fail). */
interface Attack {
  readonly name: string;
  readonly head?: string;
  readonly unit: string;
  readonly tail?: string;
}

/**
 * The classic attack shapes: long runs of the characters that quantifiers typically overlap on (blanks,
 * dots, digits, letters, quote marks, brackets, address parts), each ending in a character that fails.
 */
const ATTACKS: readonly Attack[] = [
  { name: 'blanks', unit: ' ', tail: 'x' },
  { name: 'tabs', unit: '\t', tail: '\u0000' },
  { name: 'newlines and blanks', unit: '\r\n ', tail: '\u0000' },
  { name: 'dots', unit: '.', tail: '@' },
  { name: 'at and dots', head: 'a@', unit: '.', tail: '@' },
  { name: 'at and dotted NULs', head: '\u0000@\u0000', unit: '.\u0000', tail: '.@..\u0000' },
  { name: 'dot letter', unit: '.A', tail: '\t' },
  { name: 'letter dot', unit: 'a.', tail: '@' },
  { name: 'letter dash', unit: 'a-', tail: '!' },
  { name: 'at signs', unit: '@', tail: ' ' },
  { name: 'letters and at', unit: 'aaaaaaaaaa@', tail: ' ' },
  { name: 'letters', unit: 'a', tail: '!' },
  { name: 'capitals', unit: 'A', tail: '1' },
  { name: 'digits', unit: '1', tail: 'x' },
  { name: 'digits and blanks', head: '+', unit: '1 ', tail: 'x' },
  { name: 'digits and dashes', unit: '1-', tail: 'x' },
  { name: 'quote marks', head: 'x', unit: '"', tail: 'x' },
  { name: 'curly quotes', head: 'x', unit: '“”', tail: 'x' },
  { name: 'open brackets', unit: '\n[', tail: '\n_\\' },
  { name: 'unclosed tags', head: 'A', unit: '<mergeCell<l', tail: '>' },
  { name: 'unclosed tag attributes', head: '<mergeCell ', unit: 'a="1" ', tail: '>' },
  { name: 'sentence marks', unit: '.!', tail: 'x' },
  { name: 'blanks before a joiner', unit: ' ', tail: 'an' },
  { name: 'commas and blanks', unit: ', ', tail: '' },
  { name: 'semicolons and equals', unit: ' ;x=', tail: '"' },
  { name: 'accented letters', unit: 'é', tail: '1' },
];

function build(attack: Attack, size: number): string {
  const head = attack.head ?? '';
  const tail = attack.tail ?? '';
  const units = Math.max(1, Math.ceil((size - head.length - tail.length) / attack.unit.length));
  return head + attack.unit.repeat(units) + tail;
}

/**
 * One pattern on outside text, or a function applying its patterns. A function that does much other work
 * per character (Unicode normalizing, fuzzy matching) runs on the attacks that reach its patterns only.
 */
interface Guarded {
  readonly name: string;
  readonly run: (text: string) => unknown;
  readonly attacks?: readonly Attack[];
}

function only(...names: string[]): Attack[] {
  return ATTACKS.filter((a) => names.includes(a.name));
}

/** Blank runs, word runs, address shapes and letters that Unicode rules treat specially. */
const WORDY = only(
  'blanks',
  'newlines and blanks',
  'at and dots',
  'capitals',
  'digits and dashes',
  'accented letters',
);

const matches = (pattern: RegExp) => (text: string) => pattern.test(text);
const replace = (pattern: RegExp) => (text: string) => text.replace(pattern, '');
const matchAll = (pattern: RegExp) => (text: string) => [...text.matchAll(pattern)].length;
const split = (pattern: RegExp) => (text: string) => text.split(pattern).length;

/** Patterns exported by the modules that run them, and the functions that apply patterns to outside text. */
const GUARDED: readonly Guarded[] = [
  // Files: sniffing, headers, cells, workbooks.
  { name: 'file sniffer: an address in a header cell', run: matches(DATA_EMAIL) },
  { name: 'file sniffer: a number or phone in a header cell', run: matches(DATA_NUMBER_OR_PHONE) },
  { name: 'file sniffer: a date in a header cell', run: matches(DATA_DATE) },
  { name: 'value kinds: address', run: matches(VALUE_EMAIL) },
  { name: 'value kinds: web address with a scheme', run: matches(VALUE_URL_WITH_SCHEME) },
  { name: 'value kinds: domain', run: matches(VALUE_DOMAIN) },
  { name: 'value kinds: tags', run: tagsIn },
  { name: 'value kinds: every kind of a cell', run: kindsOf },
  { name: 'number format of a workbook cell', run: (code) => styleOfFormat(164, code) },
  { name: 'escaped characters in a workbook cell', run: unescapeCellText },
  { name: 'merged cells tag', run: matchAll(MERGE_TAG) },
  { name: 'merged cells scanner', run: (xml) => new MergeScanner().scan(xml) },
  { name: 'header normalizing', run: normalizeHeader, attacks: only('blanks', 'at and dots', 'capitals') },
  { name: 'custom field key from a header', run: customKeyFor },
  // Values checked while importing.
  { name: 'address cell', run: normalizeEmail },
  { name: 'website cell', run: normalizeWebsite },
  { name: 'employees cell', run: parseEmployees },
  { name: 'tags cell', run: splitTags },
  { name: 'full name cell', run: splitFullName },
  { name: 'company name key', run: companyKey, attacks: WORDY },
  { name: 'phone cell', run: (v) => phoneToE164(v, 'DE') },
  { name: 'company domain of a website cell', run: companyDomain },
  { name: 'company domain: trailing dots', run: replace(TRAILING_DOTS) },
  { name: 'company domain: leading scheme', run: replace(LEADING_SCHEME) },
  { name: 'report read back: columns', run: (h) => reportColumnsIn([h, h]) },
  { name: 'report read back: guarded cell', run: unguardCell },
  // Log lines, which may quote any of the above.
  { name: 'redaction: address', run: replace(REDACT_EMAIL) },
  { name: 'redaction: phone', run: replace(REDACT_PHONE) },
  { name: 'redaction', run: redact },
  // Mail: headers, addresses, replies.
  { name: 'reply clause breaks', run: matchAll(CLAUSE_BREAK) },
  { name: 'reply target quote marks', run: replace(END_QUOTES) },
  { name: 'reply target list', run: split(TARGET_SEPARATOR) },
  { name: 'reply', run: (text) => parseReply(text, 'clients', ['Name', 'Email', 'Notes']) },
  { name: 'reply words', run: plainWords },
  { name: 'reply: where the quoted original starts', run: (text) => quoteStart(text.split('\n')) },
  { name: 'reply: the visible part', run: visibleReply },
  { name: 'mail head: From', run: authorOf },
  { name: 'mail head: one header', run: (head) => headerValues(head, 'Auto-Submitted') },
  { name: 'mail head: header block', run: parseHeaderBlock },
  { name: 'attachment file name', run: extensionOf },
  { name: 'recipient address', run: (a) => parseRecipient(a, 'intake.example.com') },
  { name: 'sender address', run: normalizeAddress },
  { name: 'sender allow-list candidates', run: allowCandidates },
  { name: 'reply subject', run: replySubject },
  // Slack, HTTP, the CLI.
  { name: 'allowed sender setting', run: matches(ALLOWED_SENDER) },
  { name: 'mapping change: a named custom field', run: matches(NAMED_CUSTOM) },
  { name: 'Authorization: Bearer', run: (h) => bearerToken(`Bearer ${h}`) },
  { name: 'Authorization: Basic', run: (h) => presentedSecret(`Basic ${h}`) },
  { name: 'Slack file kind', run: (name) => fileKind({ id: 'F1', name, mimetype: name, filetype: name }) },
  { name: 'Slack file link', run: (link) => isSlackFileUrl(`https://${link}`, 'https://slack.com/api/') },
  { name: 'uploaded file name', run: safeFileName },
];

/** CPU milliseconds one call takes; CPU time, not wall time, so other busy processes do not count. */
function cpuMs(run: () => unknown): number {
  const started = process.cpuUsage();
  run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

const SMALL = 64 * 1024;
const LARGE = 1024 * 1024;
/** Linear work on 64 KB takes a few milliseconds; quadratic work takes seconds. */
const SMALL_LIMIT_MS = 500;
/** 16 times the text may take up to 50 times as long, plus slack for a collection or a busy machine. */
const GROWTH = 50;
const SLACK_MS = 1000;

describe('every pattern on outside text runs in linear time', () => {
  it.each(GUARDED.map((g) => [g.name, g] as const))('%s', (_name, guarded) => {
    const slow: string[] = [];
    for (const attack of guarded.attacks ?? ATTACKS) {
      const small = cpuMs(() => guarded.run(build(attack, SMALL)));
      if (small > SMALL_LIMIT_MS) {
        slow.push(`${attack.name}: ${Math.round(small)} ms on 64 KB`);
        continue;
      }
      const large = cpuMs(() => guarded.run(build(attack, LARGE)));
      if (large > GROWTH * small + SLACK_MS) {
        slow.push(`${attack.name}: ${Math.round(small)} ms on 64 KB, ${Math.round(large)} ms on 1 MB`);
      }
    }
    expect(slow).toEqual([]);
  });
});
