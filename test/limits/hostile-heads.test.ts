import { writeFile as writeBytes } from 'node:fs/promises';
import nodemailer from 'nodemailer';
import type { ImportSummary, ImportView } from '../../src/engine/imports/import-view';
import { SNIFF_CELL_CHARS } from '../../src/core/parse/file-sniffer';
import { startSink, Sink } from '../email/mail-support';
import { killAll } from '../reliability/fault-support';
import { errorOf, storedCounts } from '../security/http-support';
import { eventually } from '../support/eventually';
import { Harness, startHarness } from '../support/intake-harness';
import { rawWorkbook, sharedRow, SHEET_CLOSE, SHEET_OPEN } from '../support/raw-zip';
import {
  AllInOne,
  api,
  HealthWatch,
  scratch,
  startAllInOne,
  uploadFile,
  watchHealth,
} from './limits-support';

/**
 * Files of a few kilobytes built to make one Intake process hold or scan without end what their head
 * holds, against one real process in the default all-in-one mode (API, SMTP and worker) under the
 * compose heap cap. Each is answered, the process lives, and /health answers within a second all along.
 * `npm run build` first: the process runs dist/.
 */
const DOMAIN = 'import.test';
const SENDER = 'ops@example.com';

let h: Harness;
let intake: AllInOne;
let sink: Sink;
let files: Awaited<ReturnType<typeof scratch>>;
let health: HealthWatch;
/** The files, built before any test watches /health: building them blocks this process for a while. */
let books: ReturnType<typeof buildBooks>;

beforeAll(async () => {
  books = buildBooks();
  // In this process only to look into the database; the spawned process does the work.
  h = await startHarness('limits_heads', { INTAKE_ROLES: 'api' });
  sink = await startSink();
  intake = await startAllInOne(h, {
    IMPORT_DOMAIN: DOMAIN,
    OUTBOUND_SMTP_URL: sink.url,
    INTAKE_ALLOWED_SENDERS: '@example.com',
  });
  files = await scratch();
});
afterAll(async () => {
  killAll(intake ? [intake.worker] : []);
  await files?.cleanup();
  await sink?.close();
  await h?.close();
});

beforeEach(() => {
  health = watchHealth(intake.url);
});
afterEach(async () => {
  const seen = await health.stop();
  expect(intake.worker.alive()).toBe(true);
  expect(seen.unanswered).toBe(0);
  expect(seen.slowestMs).toBeLessThan(1000);
});

const MB = 1024 * 1024;

/** A one-sheet workbook whose rows are `rows`, over shared strings `strings`. */
function oneSheet(rows: string[], strings: string[]): Buffer {
  return rawWorkbook({
    sheets: [{ name: 'Clients', target: 'worksheets/sheet1.xml' }],
    parts: { 'worksheets/sheet1.xml': `${SHEET_OPEN}${rows.join('')}${SHEET_CLOSE}` },
    sharedStrings: strings,
  });
}

const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const ANA = `<row r="2">${inline('A2', 'Ana')}${inline('B2', 'ana@example.com')}</row>`;

function buildBooks() {
  const repeated = [sharedRow(1, 2, 1), ...Array.from({ length: 300 }, (_, i) => sharedRow(i + 2, 2, 0))];
  return {
    /** One text of 2 MB shown in every cell of 300 rows, under a header of another. */
    repeated: oneSheet(repeated, ['x'.repeat(2 * MB), `Name${'n'.repeat(2 * MB)}`]),
    /** A header cell of 3.9 MB. */
    wideHeader: oneSheet([sharedRow(1, 2, 0), ANA], [`Name ${'h'.repeat(3.9 * MB)}`]),
    /** A good first sheet, and a second whose header cell of 4 MB makes an e-mail pattern backtrack. */
    trap: rawWorkbook({
      sheets: [
        { name: 'Clients', target: 'worksheets/sheet1.xml' },
        { name: 'Trap', target: 'worksheets/sheet2.xml' },
      ],
      parts: {
        'worksheets/sheet1.xml': `${SHEET_OPEN}<row r="1">${inline('A1', 'Name')}${inline('B1', 'Email')}</row>${ANA}${SHEET_CLOSE}`,
        'worksheets/sheet2.xml': `${SHEET_OPEN}${sharedRow(1, 2, 0)}${ANA}${SHEET_CLOSE}`,
      },
      sharedStrings: [`a@${'.'.repeat(4 * MB)}@`],
    }),
    /** Fifty sheets that all point at one part of 2.6 MB. */
    onePart: rawWorkbook({
      sheets: Array.from({ length: 50 }, (_, i) => ({ name: `S${i}`, target: 'worksheets/sheet1.xml' })),
      parts: {
        'worksheets/sheet1.xml': `${SHEET_OPEN}${'<row r="1"/>'.repeat(200_000)}${sharedRow(200_001, 2, 0)}${SHEET_CLOSE}`,
      },
      sharedStrings: ['Name'],
    }),
    /** A sheet part of 33 MB of merge tags that never close. */
    merges: rawWorkbook({
      sheets: [{ name: 'Clients', target: 'worksheets/sheet1.xml' }],
      parts: {
        'worksheets/sheet1.xml': `${SHEET_OPEN}<row r="1">${inline('A1', 'Name')}${inline('B1', 'Email')}</row></sheetData>${'<mergeCell '.repeat(3 * MB)}`,
      },
    }),
  };
}

async function upload(bytes: Buffer, name: string): Promise<Response> {
  const path = files.path(name);
  await writeBytes(path, bytes);
  return uploadFile(h, intake.url, path, 'clients');
}

test('a 10 KB workbook of one 2 MB text in 300 rows is proposed with its cells cut short', async () => {
  expect(books.repeated.length).toBeLessThan(16_000);
  const res = await upload(books.repeated, 'repeated.xlsx');
  expect(res.status).toBe(201);
  const view = (await res.json()) as ImportView;
  expect(view.columns[0]?.header).toHaveLength(SNIFF_CELL_CHARS);
  expect(view.columns[0]?.samples[0]).toHaveLength(SNIFF_CELL_CHARS);
});

test('by email, the same workbook gets its proposal, and the process lives to answer the next mail', async () => {
  const mail = nodemailer.createTransport({ host: '127.0.0.1', port: intake.smtpPort, ignoreTLS: true });
  try {
    for (const n of [1, 2]) {
      await mail.sendMail({
        from: SENDER,
        to: `clients@${DOMAIN}`,
        subject: `Clients ${n}`,
        text: 'Here they are.',
        attachments: [{ filename: `clients-${n}.xlsx`, content: books.repeated }],
      });
    }
  } finally {
    mail.close();
  }
  const answered = () => sink.mails.filter((m) => /Clients [12]/.test(m.subject ?? '')).length;
  await eventually(async () => answered() >= 2, 60_000);
});

test('twenty workbooks whose header cell is 3.9 MB leave the history listing small and quick', async () => {
  expect(books.wideHeader.length).toBeLessThan(16_000);
  for (let i = 0; i < 20; i++) expect((await upload(books.wideHeader, `wide-${i}.xlsx`)).status).toBe(201);
  const res = await api(h, intake.url, '/imports?limit=100');
  expect(res.status).toBe(200);
  const text = await res.text();
  const list = JSON.parse(text) as ImportSummary[];
  expect(list.length).toBeGreaterThanOrEqual(20);
  expect(list.every((v) => !('columns' in v))).toBe(true);
  expect(text.length).toBeLessThan(200 * 1024);
});

test('a header cell built to make the e-mail pattern backtrack is read as a name at once, in a CSV and a sheet', async () => {
  const attack = `a@${'.'.repeat(120_000)}@`;
  const csv = await upload(Buffer.from(`${attack},Email\nAna,ana@example.com\n`), 'attack.csv');
  expect(csv.status).toBe(201);
  expect(((await csv.json()) as ImportView).columns[0]?.header).toHaveLength(SNIFF_CELL_CHARS);
  // The same cell of 4 MB in a second sheet, chosen again and again without uploading anything.
  const res = await upload(books.trap, 'trap.xlsx');
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as ImportView;
  for (const sheet of ['Trap', 'Clients', 'Trap', 'Clients', 'Trap']) {
    const changed = await api(h, intake.url, `/imports/${id}/mapping`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sheet }),
    });
    expect([changed.status, changed.status === 200 ? null : await changed.text()]).toEqual([200, null]);
    expect(((await changed.json()) as ImportView).sheet).toBe(sheet);
  }
});

test('fifty sheets that point at one part are refused whole, and nothing is kept', async () => {
  const before = await storedCounts(h);
  const res = await upload(books.onePart, 'one-part.xlsx');
  expect(res.status).toBe(400);
  expect(await errorOf(res)).toEqual({
    code: 'unreadable_workbook',
    message: expect.stringContaining('are one and the same part'),
  });
  expect(await storedCounts(h)).toEqual(before);
});

test('a part of 33 MB of merge tags that never close is scanned in passing and refused as damaged', async () => {
  expect(books.merges.length).toBeLessThan(200_000);
  const res = await upload(books.merges, 'merges.xlsx');
  expect(res.status).toBe(400);
  expect((await errorOf(res)).code).toBe('unreadable_workbook');
});
