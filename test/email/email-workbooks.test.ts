import { ConversationsRepository } from '../../src/doors/email/conversations.repository';
import { readToken } from '../../src/protocols/mail/reply-token';
import { START_MESSAGE } from '../../src/engine/imports/import-view';
import { Harness, waitForEnd } from '../support/intake-harness';
import { twoSheetBook } from '../support/workbooks';
import { mailWithAttachment, replyMail, repliesTo, send, Sink, startMailDoor } from './mail-support';

let h: Harness;
let sink: Sink;
let close: () => Promise<void>;
const DOMAIN = 'import.test';

beforeAll(async () => {
  ({ h, sink, close } = await startMailDoor('email-xlsx', DOMAIN));
});
afterAll(() => close());

const replyTo = (m: { replyTo?: { value: { address?: string }[] } }) => m.replyTo?.value[0]?.address ?? '';

/** A message with one attachment whose name and type say nothing: only its bytes tell a workbook. */
function mailWith(from: string, attachment: Buffer, fileName: string): string {
  const to = `clients@${DOMAIN}`;
  return mailWithAttachment({
    from,
    to,
    fileName,
    content: attachment,
    contentType: 'application/octet-stream',
    base64: true,
  });
}

test('a workbook attached under any name is proposed with its sheets; "Sheet = Clients" reads that sheet', async () => {
  const ana = 'ana-book@example.com';
  const sent = await send(
    h,
    { from: ana, to: `clients@${DOMAIN}` },
    mailWith(ana, await twoSheetBook(), 'export.dat'),
  );
  expect(sent.ok).toBe(true);
  const [proposal] = await repliesTo(sink, ana);
  expect(proposal!.text).toContain('export.dat (clients, Excel workbook)');
  expect(proposal!.text).toContain(
    'Sheet "Leads"; its other sheets: "Clients". To read another, reply "Sheet = Clients".',
  );

  const to = replyTo(proposal!);
  const body = replyMail({
    from: ana,
    to,
    body: 'Sheet = Clients\nNotes = skip\nyes',
    inReplyTo: proposal!.messageId,
  });
  expect((await send(h, { from: ana, to }, body)).ok).toBe(true);
  const [, started] = await repliesTo(sink, ana, 2);
  expect(started!.text!.trim()).toBe(START_MESSAGE);

  const conv = await h.app.context
    .get(ConversationsRepository)
    .find(readToken(/^import\+([^@]+)@/.exec(to)![1]!)!.conversationId);
  const done = await waitForEnd(h, conv!.importIds[0]!);
  expect([done.status, done.sheet]).toEqual(['completed', 'Clients']);
  expect(done.columns.find((c) => c.header === 'Notes')?.field).toBeNull();
  expect(done.counts).toMatchObject({ total: 3, imported: 2, skipped: 1 });
  const [, , summary] = await repliesTo(sink, ana, 3);
  const report = summary!.attachments[0]!.content.toString();
  expect(report).toContain('row (sheet: Clients),reason');
  expect(report).toMatch(/\n6,.*Cy,not-an-email/);
});

test('a sheet the workbook does not have is answered with its sheets, and nothing starts', async () => {
  const bo = 'bo-book@example.com';
  await send(h, { from: bo, to: `clients@${DOMAIN}` }, mailWith(bo, await twoSheetBook(), 'clients.xlsx'));
  const [proposal] = await repliesTo(sink, bo);
  const to = replyTo(proposal!);
  await send(h, { from: bo, to }, replyMail({ from: bo, to, body: 'Sheet = Deals\nyes' }));
  const [, answer] = await repliesTo(sink, bo, 2);
  expect(answer!.text).toContain('has no sheet "Deals". Its sheets are "Leads", "Clients"');
  expect(replyTo(answer!)).toBe(to);
});
