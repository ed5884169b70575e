import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { once } from 'node:events';
import { JobQueues } from '../../src/engine/queue/job-queues';
import { mailWithAttachment, repliesTo, sendTo, Sink, startSink } from '../email/mail-support';
import { AllInOne, healthy, startAllInOne } from '../limits/limits-support';
import { eventually, importsFrom, rawMessages } from '../limits/mail-limits-support';
import { csvMail } from '../security/email-auth-support';
import { Harness, startHarness } from '../support/intake-harness';
import { csvOf, killAll, Worker } from './fault-support';

// A message whose handling kills the process (as a workbook exhausting the heap did): the real
// all-in-one Intake under the compose heap cap, killed by its own fault point (SIGKILL) whenever it
// handles a message with the poisoned subject, and started again after each death, as a supervisor would.

const DOMAIN = 'import.test';
const TO = `clients@${DOMAIN}`;
const POISON = 'POISON-kills-the-process';
const SENDER = 'ana@example.com';
/** Sends a large file at the same time: its handling is under way when the poisoned message kills Intake. */
const BYSTANDER = 'bob@example.com';
const BYSTANDER_ROWS = 60_000;

let h: Harness;
let sink: Sink;
const workers: Worker[] = [];

beforeAll(async () => {
  sink = await startSink();
  // This process only reads the database and the queue: it runs no SMTP server and no worker.
  h = await startHarness('mail_poison', { INTAKE_ROLES: 'api' });
});
afterAll(async () => {
  killAll(workers);
  await h.close();
  await sink.close();
});

async function startIntake(extra: NodeJS.ProcessEnv = {}): Promise<AllInOne> {
  const intake = await startAllInOne(h, {
    IMPORT_DOMAIN: DOMAIN,
    OUTBOUND_SMTP_URL: sink.url,
    INTAKE_ALLOWED_SENDERS: '@example.com',
    INTAKE_RETRY_DELAY_MS: '100',
    INTAKE_FAULT_EXIT_ON_MAIL_SUBJECT: POISON,
    ...extra,
  });
  workers.push(intake.worker);
  return intake;
}

async function death(intake: AllInOne): Promise<string | null> {
  const child = intake.worker.child;
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  return child.signalCode;
}

/** A message with one CSV attachment, base64 as mail clients send it. */
function mailWithCsv(from: string, subject: string, csv: Buffer): string {
  return mailWithAttachment({ from, to: TO, subject, fileName: 'fair.csv', content: csv, base64: true });
}

interface AttemptMark {
  _id: string;
  unfinished: number;
  setAsideAt: Date | null;
  reason: string;
}

function attemptMarks(): Promise<AttemptMark[]> {
  const db = h.app.context.get<Connection>(getConnectionToken()).db!;
  return db.collection<AttemptMark>('email_inbound_attempts').find({}).toArray();
}

test('a message that kills Intake twice is set aside: its sender told once, nothing imported, never retried; a message handled beside it is not lost', async () => {
  const started = Date.now();
  let intake = await startIntake();
  // The large message is still being read when the poisoned one, sent right after it, kills Intake.
  const big = mailWithCsv(BYSTANDER, 'The fair list', csvOf(BYSTANDER_ROWS, 5));
  expect(await sendTo(intake.smtpPort, { from: BYSTANDER, to: TO }, big)).toEqual({ ok: true });
  await eventually(async () => (await attemptMarks()).length === 1, 60_000);
  const poison = csvMail({ from: SENDER, to: TO, subject: `Clients ${POISON}` });
  expect(await sendTo(intake.smtpPort, { from: SENDER, to: TO }, poison)).toEqual({ ok: true });
  expect(await death(intake)).toBe('SIGKILL');
  const firstDeath = Date.now() - started;
  expect((await attemptMarks()).map((m) => m.unfinished)).toEqual([1, 1]);

  intake = await startIntake();
  expect(await death(intake)).toBe('SIGKILL');
  const secondDeath = Date.now() - started;

  intake = await startIntake();
  const [answer] = await repliesTo(sink, SENDER, 1, 60_000);
  const setAside = Date.now() - started;
  console.log(
    `poisoned message: deaths at ${firstDeath} and ${secondDeath} ms, set aside and answered at ${setAside} ms`,
  );
  expect(answer?.subject).toBe('Your message to Intake could not be processed');
  expect(answer?.text).toContain(
    'Your message could not be processed: reading it stopped Intake twice, so it was set aside and nothing was imported.',
  );
  const [proposal] = await repliesTo(sink, BYSTANDER, 1, 60_000);
  expect(proposal?.subject).toBe('Re: The fair list');
  expect(await importsFrom(h, BYSTANDER)).toEqual([{ fileName: 'fair.csv' }]);

  // The bystander's start is taken back just after its answer went out: wait for that, not for a time.
  await eventually(async () => (await attemptMarks()).length === 1, 60_000);
  const marks = await attemptMarks();
  expect(marks).toHaveLength(1);
  expect(marks[0]).toMatchObject({ reason: 'reading it stopped Intake twice' });
  expect(marks[0]?.setAsideAt).toBeInstanceOf(Date);
  expect(answer?.text).toContain(`look at message ${marks[0]?._id}`);
  expect(await h.app.context.get(JobQueues).isPending('email-inbound', marks[0]!._id)).toBe(false);
  expect(await rawMessages(h)).toBe(1); // the poisoned one, kept for inspection
  expect(await importsFrom(h, SENDER)).toEqual([]);

  // The door keeps working: the sender's next message is answered, and the poisoned one never again.
  const next = csvMail({ from: SENDER, to: TO, subject: 'Clients from the fair' });
  expect(await sendTo(intake.smtpPort, { from: SENDER, to: TO }, next)).toEqual({ ok: true });
  const replies = await repliesTo(sink, SENDER, 2, 60_000);
  expect(replies.map((m) => m.subject)).toEqual([
    'Your message to Intake could not be processed',
    'Re: Clients from the fair',
  ]);
  expect(await healthy(intake.url)).toBe(true);
  expect(intake.worker.alive()).toBe(true);
  expect(await importsFrom(h, SENDER)).toEqual([{ fileName: 'people.csv' }]);
}, 300_000);
