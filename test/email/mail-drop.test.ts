import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { InboundProcessor } from '../../src/doors/email/inbound.processor';
import { Harness, startHarness } from '../support/intake-harness';
import { fixture, send } from './mail-support';

// Without a relay (OUTBOUND_SMTP_URL unset), INTAKE_MAIL_DIR keeps each answer as an .eml file, so a
// person trying Intake locally (npm run dev sets it) can read the proposal and reply to it.
let h: Harness;
const dir = mkdtempSync(join(tmpdir(), 'intake-mail-drop-'));

beforeAll(async () => {
  h = await startHarness('mail_drop', {
    INTAKE_ROLES: 'api,smtp,worker',
    SMTP_PORT: '0',
    IMPORT_DOMAIN: 'import.test',
    INTAKE_ALLOWED_SENDERS: 'ana@example.com',
    INTAKE_MAIL_DIR: dir,
    // Retries of a message that cannot be handled follow each other quickly here.
    INTAKE_RETRY_DELAY_MS: '20',
  });
});
afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the proposal is written to the folder as a complete message, Reply-To token included', async () => {
  const sent = await send(
    h,
    { from: 'ana@example.com', to: 'clients@import.test' },
    fixture('gmail-base64.eml'),
  );
  expect(sent.ok).toBe(true);
  const until = Date.now() + 15_000;
  while (!readdirSync(dir).length && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  const files = readdirSync(dir);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/\.eml$/);
  const mail = await simpleParser(readFileSync(join(dir, files[0]!)));
  expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain('ana@example.com');
  expect(mail.replyTo?.text).toMatch(/^import\+[a-z0-9-]+@import\.test$/);
  expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
  expect(mail.text).toContain('reply "yes"');
  expect(mail.attachments.map((a) => a.filename)).toContain('intake-clients-template.csv');
});

test('a message accepted with 250 that cannot be handled after every attempt is answered, not left silent', async () => {
  const processor = h.app.context.get(InboundProcessor);
  const before = new Set(readdirSync(dir));
  // Its stored copy is gone: every attempt to read it fails.
  await processor.enqueue({
    rawFileId: '0123456789abcdef01234567',
    workspaceId: h.workspaceId,
    envelopeFrom: 'ana@example.com',
    recipient: 'clients@import.test',
    sender: 'ana@example.com',
    receivedAt: new Date().toISOString(),
  });
  const until = Date.now() + 20_000;
  let fresh: string[] = [];
  while (!fresh.length && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    fresh = readdirSync(dir).filter((f) => !before.has(f));
  }
  expect(fresh).toHaveLength(1);
  const mail = await simpleParser(readFileSync(join(dir, fresh[0]!)));
  expect(mail.subject).toBe('Your message to Intake was not processed');
  expect(mail.text).toContain('nothing was imported');
  expect(mail.text).toContain('0123456789abcdef01234567');
});
