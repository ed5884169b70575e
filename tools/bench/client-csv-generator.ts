import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

/**
 * Seeded, reproducible client CSVs for the benchmarks and the fault tests. Every data row is one of:
 * a new client (valid, first of its email), a duplicate (the email of an earlier valid row, in another
 * case: ~5%) or invalid (a broken or missing email: ~5%). Names and cities carry accents, a third of the
 * notes are quoted with commas and doubled quotes, and some of those span two lines, so row numbers
 * (physical lines, header = row 1) differ from record numbers as they do in real exports.
 */
export const CLIENT_HEADER = 'First Name,Last Name,Email,Phone,Company,City,Notes,Tags';

export type RowOutcome = 'new' | 'duplicate' | 'invalid';

export interface GeneratedRow {
  /** The row number Intake reports: the physical line where the record starts. */
  row: number;
  outcome: RowOutcome;
  /** The normalized email (the duplicate key); empty for an invalid row. */
  key: string;
  text: string;
}

export interface GeneratedFile {
  path: string;
  rows: number;
  bytes: number;
  expected: { new: number; duplicate: number; invalid: number };
}

/** mulberry32: small, fast and good enough to make files reproducible from a seed. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ana',
  'Jürgen',
  'Zoë',
  'Łukasz',
  'María José',
  'Chloé',
  'Søren',
  'Ngozi',
  'Hiroshi',
  'Olivia',
  'François',
  'Björn',
  'Çağla',
  'Dvořák',
  'Siobhán',
  'Mateus',
];
const LAST = [
  'García',
  'Müller',
  'Nowak',
  "O'Brien",
  'Dubois',
  'Rossi',
  'Silva',
  'Kowalski',
  'Smith',
  'Ødegaard',
  'Núñez',
  'Yılmaz',
  'Van der Berg',
  'Łęcka',
];
const CITIES = [
  'Madrid',
  'São Paulo',
  'Zürich',
  'Kraków',
  'Málaga',
  'Montréal',
  'København',
  'Lyon',
  'Austin',
];
const COMPANIES = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark', 'Wayne', 'Tyrell'];
const SUFFIXES = ['Inc.', 'GmbH', 'S.A.', 'Ltd', 'SAS', 'Sp. z o.o.'];
const DOMAINS = ['example.com', 'mail.example.org', 'correo.example.es', 'firma.example.de'];
const PHONES = [
  (n: number) => `+1 202 555 ${String(n % 10000).padStart(4, '0')}`,
  (n: number) => `(415) 555-${String(n % 10000).padStart(4, '0')}`,
  (n: number) => `+49 30 ${String(900000 + (n % 99999))}`,
  (n: number) => `+34 912 ${String(100 + (n % 900))} ${String(100 + (n % 877))}`,
  (n: number) => `+44 20 7946 ${String(n % 10000).padStart(4, '0')}`,
  (n: number) => `+33 1 42 68 ${String(10 + (n % 90))} ${String(10 + (n % 89))}`,
];

const pick = <T>(list: readonly T[], r: number): T => list[Math.floor(r * list.length)]!;
const ascii = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
const quoted = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * A second file over the same rows, for update-mode imports: rows where `changed` holds carry other
 * values (city and notes marked with `mark`); rows where `fresh` holds get an email no earlier file had.
 * Everything else, and every random draw, stays as in the original file.
 */
export interface RowVariant {
  mark: string;
  changed: (i: number) => boolean;
  fresh: (i: number) => boolean;
}

/** The rows of a file of `rows` data rows, in order; the same seed always gives the same rows. */
export function* clientRows(rows: number, seed = 42, variant?: RowVariant): Generator<GeneratedRow> {
  const rand = seededRandom(seed);
  const validEmails: string[] = [];
  let line = 2;
  for (let i = 1; i <= rows; i++) {
    const first = pick(FIRST, rand());
    const last = pick(LAST, rand());
    const dice = rand();
    let outcome: RowOutcome = 'new';
    const tag = variant?.fresh(i) ? `${seed}${variant.mark}` : String(seed);
    let email = `${ascii(first)}.${ascii(last)}.${tag}.${i}@${pick(DOMAINS, rand())}`;
    if (dice < 0.05 && validEmails.length > 0) {
      outcome = 'duplicate';
      const earlier = validEmails[Math.floor(rand() * validEmails.length)]!;
      email = i % 2 ? earlier.toUpperCase() : ` ${earlier}`;
    } else if (dice < 0.1) {
      outcome = 'invalid';
      email = i % 3 ? email.replace('@', ' at ') : '';
    }
    const noteKind = rand();
    let notes =
      noteKind < 0.2
        ? `Met at "Expo ${i % 50}", asked for a demo, budget ~${i % 90}k €`
        : noteKind < 0.3
          ? `Called twice, said "call back in Q${1 + (i % 4)}",\nprefers email`
          : `Lead from ${pick(CITIES, rand())}`;
    const cells = [
      first,
      last,
      email,
      pick(PHONES, rand())(i),
      `${pick(COMPANIES, rand())} ${pick(SUFFIXES, rand())}`,
      pick(CITIES, rand()),
      notes,
      `vip; t${i % 7}`,
    ];
    if (variant?.changed(i)) {
      cells[5] = `${cells[5]!} ${variant.mark}`;
      cells[6] = notes = `${notes} (${variant.mark})`;
    }
    const key = outcome === 'invalid' ? '' : email.trim().toLowerCase();
    if (outcome === 'new') validEmails.push(key);
    yield { row: line, outcome, key, text: `${cells.map(quoted).join(',')}\n` };
    line += notes.includes('\n') ? 2 : 1;
  }
}

/** Writes the file (header + rows) and returns how many rows of each outcome it holds. */
export async function writeClientsCsv(
  path: string,
  rows: number,
  seed = 42,
  variant?: RowVariant,
): Promise<GeneratedFile> {
  const out = createWriteStream(path);
  const expected = { new: 0, duplicate: 0, invalid: 0 };
  let bytes = 0;
  let chunk = `${CLIENT_HEADER}\n`;
  for (const r of clientRows(rows, seed, variant)) {
    expected[r.outcome]++;
    chunk += r.text;
    if (chunk.length > 65536) {
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await new Promise<void>((ok) => out.once('drain', () => ok()));
      chunk = '';
    }
  }
  bytes += Buffer.byteLength(chunk);
  out.end(chunk);
  await finished(out);
  return { path, rows, bytes, expected };
}
