import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
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
