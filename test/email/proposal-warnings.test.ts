import type { Harness } from '../support/intake-harness';
import { repliesTo, send, Sink, startMailDoor } from './mail-support';

let h: Harness;
let sink: Sink;
const DOMAIN = 'import.test';

let close: () => Promise<void>;

beforeAll(async () => {
  ({ h, sink, close } = await startMailDoor('email-warnings', DOMAIN));
});
afterAll(() => close());

/** A plain message with one CSV attached, as a mail client writes it. */
function mailWithCsv(from: string, to: string, csv: string): string {
  const boundary = 'b-proposal-warnings';
  return [
    `From: ${from}`,
    `To: ${to}`,
    'Subject: Contacts',
    `Message-ID: <warnings-${Math.random().toString(36).slice(2)}@example.com>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Here are the contacts.',
    `--${boundary}`,
    'Content-Type: text/csv; charset=utf-8; name="contacts.csv"',
    'Content-Disposition: attachment; filename="contacts.csv"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(csv).toString('base64'),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

test('the mapping proposal by e-mail says which column its values contradict', async () => {
  const from = 'warned@example.com';
  const csv =
    'Name,Phone,Email\nAna García,ana@example.com,ana@example.com\nBen Okafor,ben@example.com,ben@example.com\n';
  expect(
    await send(h, { from, to: `clients@${DOMAIN}` }, mailWithCsv(from, `clients@${DOMAIN}`, csv)),
  ).toEqual({
    ok: true,
  });
  const [proposal] = await repliesTo(sink, from);
  const warning = 'The column "Phone" holds e-mail addresses, not Phone values: check it.';
  expect(proposal!.text).toContain(warning);
  expect(proposal!.html).toContain('The column &quot;Phone&quot; holds e-mail addresses');
  expect(proposal!.text).toMatch(/Phone\s+Phone\s+40%/);
});
