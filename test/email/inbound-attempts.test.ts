import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { FirstMessageHandler } from '../../src/doors/email/first-message.handler';
import { importsFrom, rawMessages } from '../limits/mail-limits-support';
import { csvMail } from '../security/email-auth-support';
import { eventually } from '../support/eventually';
import { MailDoor, repliesTo, send, startMailDoor } from './mail-support';

// How the background handling of a message ends: past its time budget twice it is set aside; by an
// ordinary error it is retried as before. (A message that kills the process: test/reliability/mail-poison.)
// The handler of first messages is wrapped to hang or fail on given subjects; everything else is real.

const DOMAIN = 'import.test';
const TO = `clients@${DOMAIN}`;
let door: MailDoor;
let failuresLeft = 2;

beforeAll(async () => {
  door = await startMailDoor('inbound_attempts', DOMAIN, {
    INTAKE_MAIL_HANDLING_MS: '1000',
    INTAKE_RETRY_DELAY_MS: '50',
  });
  const handler = door.h.app.context.get(FirstMessageHandler);
  const original = handler.handle.bind(handler);
  jest.spyOn(handler, 'handle').mockImplementation(async (job, type, msg) => {
    if (msg.subject.includes('STUCK')) return new Promise<void>(() => undefined);
    if (msg.subject.includes('FLAKY') && failuresLeft-- > 0) throw new Error('the database went away');
    return original(job, type, msg);
  });
});
afterAll(() => door.close());

interface AttemptMark {
  _id: string;
  workspaceId: string;
  setAsideAt: Date | null;
  reason: string;
}

function attemptMarks(): Promise<AttemptMark[]> {
  const db = door.h.app.context.get<Connection>(getConnectionToken()).db!;
  return db.collection<AttemptMark>('email_inbound_attempts').find({}).toArray();
}

test('a message whose handling runs past its time budget twice is set aside and its sender told once', async () => {
  const from = 'ana@example.com';
  const mail = csvMail({ from, to: TO, subject: 'Clients STUCK' });
  expect(await send(door.h, { from, to: TO }, mail)).toEqual({ ok: true });

  const [answer] = await repliesTo(door.sink, from, 1, 30_000);
  expect(answer?.subject).toBe('Your message to Intake could not be processed');
  expect(answer?.text).toContain(
    'Your message could not be processed: reading it took longer than 1 s, twice, so it was set aside and nothing was imported.',
  );
  await eventually(async () => (await attemptMarks()).some((m) => m.setAsideAt));
  const [mark] = await attemptMarks();
  expect(mark?.reason).toBe('reading it took longer than 1 s, twice');
  expect(await rawMessages(door.h)).toBe(1);
  expect(await importsFrom(door.h, from)).toEqual([]);

  // Another message from the same sender is answered, and it is the only other answer.
  const next = csvMail({ from, to: TO, subject: 'Clients again' });
  expect(await send(door.h, { from, to: TO }, next)).toEqual({ ok: true });
  const replies = await repliesTo(door.sink, from, 2, 30_000);
  expect(replies.map((m) => m.subject)).toEqual([
    'Your message to Intake could not be processed',
    'Re: Clients again',
  ]);
});

test('a message whose handling fails by an ordinary error twice is retried and handled', async () => {
  const from = 'bob@example.com';
  const mail = csvMail({ from, to: TO, subject: 'Clients FLAKY' });
  expect(await send(door.h, { from, to: TO }, mail)).toEqual({ ok: true });

  const [answer] = await repliesTo(door.sink, from, 1, 30_000);
  expect(failuresLeft).toBeLessThan(0);
  expect(answer?.subject).toBe('Re: Clients FLAKY');
  expect(await importsFrom(door.h, from)).toEqual([{ fileName: 'people.csv' }]);
  expect((await attemptMarks()).filter((m) => !m.setAsideAt)).toEqual([]);
});
