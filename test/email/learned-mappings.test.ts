import type { ParsedMail } from 'mailparser';
import { ConversationsRepository } from '../../src/doors/email/conversations.repository';
import { readToken } from '../../src/protocols/mail/reply-token';
import { START_MESSAGE } from '../../src/engine/imports/import-view';
import { LearnedMappings } from '../../src/engine/workspaces/learned-mappings';
import { Harness, waitForEnd } from '../support/intake-harness';
import { replyMail, repliesTo, send, Sink, startMailDoor } from './mail-support';

let h: Harness;
let sink: Sink;
let close: () => Promise<void>;
const DOMAIN = 'import.test';
const WHO = 'learner@example.com';

beforeAll(async () => {
  ({ h, sink, close } = await startMailDoor('email-learned', DOMAIN));
});
afterAll(() => close());

function csvMail(fileName: string): string {
  return [
    `From: ${WHO}`,
    `To: clients@${DOMAIN}`,
    'Subject: Clients',
    `Message-ID: <learned-${Math.random().toString(36).slice(2)}@example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Here they are.',
    '--b1',
    `Content-Type: text/csv; name="${fileName}"`,
    `Content-Disposition: attachment; filename="${fileName}"`,
    '',
    'First Name,Email,Kundenhinweis',
    'Ana,ana.learned@example.net,VIP',
    '--b1--',
    '',
  ].join('\r\n');
}

const replyTo = (m: ParsedMail) => m.replyTo?.value[0]?.address ?? '';

async function propose(fileName: string, nth: number): Promise<{ proposal: ParsedMail; id: string }> {
  expect((await send(h, { from: WHO, to: `clients@${DOMAIN}` }, csvMail(fileName))).ok).toBe(true);
  const proposal = (await repliesTo(sink, WHO, nth))[nth - 1]!;
  const token = /^import\+([^@]+)@/.exec(replyTo(proposal))![1]!;
  const conv = await h.app.context.get(ConversationsRepository).find(readToken(token)!.conversationId);
  return { proposal, id: conv!.importIds[0]! };
}

async function answer(to: ParsedMail, body: string, count: number): Promise<ParsedMail> {
  const mail = replyMail({ from: WHO, to: replyTo(to), body, inReplyTo: to.messageId });
  expect(await send(h, { from: WHO, to: replyTo(to) }, mail)).toEqual({ ok: true });
  return (await repliesTo(sink, WHO, count))[count - 1]!;
}

test('the proposal says which file taught a column; "Forget Kundenhinweis" forgets it and says so', async () => {
  const first = await propose('march.csv', 1);
  expect((await answer(first.proposal, 'Notes = Kundenhinweis', 2)).text!.trim()).toBe(START_MESSAGE);
  expect((await waitForEnd(h, first.id)).status).toBe('completed');
  expect((await repliesTo(sink, WHO, 3))[2]?.text).toContain('Import of march.csv finished.');

  const next = await propose('april.csv', 4);
  expect(next.proposal.text).toMatch(
    /"Kundenhinweis" → Notes was learned from march\.csv \(\d{4}-\d{2}-\d{2}\); to stop suggesting it, reply "Forget Kundenhinweis"\./,
  );
  expect(next.proposal.html).toContain('was learned from march.csv');

  const told = await answer(next.proposal, 'Forget Kundenhinweis', 5);
  expect(told.text).toContain(
    'Forgotten: "Kundenhinweis" → Notes, learned from march.csv. The next files get a fresh suggestion; this one keeps its mapping.',
  );
  expect(told.text).toContain('✓ "Forget Kundenhinweis": Forget what was learned for "Kundenhinweis".');
  const learned = await h.app.context.get(LearnedMappings).list(h.workspaceId, 'clients');
  expect(learned.map((m) => m.header)).not.toContain('Kundenhinweis');
  // Nothing started: the proposal still waits, and its reply address still works.
  expect((await h.imports.get(h.workspaceId, next.id)).status).toBe('awaiting_mapping');
  expect((await answer(told, 'yes', 6)).text!.trim()).toBe(START_MESSAGE);
});
