import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Readable } from 'node:stream';
import { HandledMessages } from '../../src/doors/email/handled-messages.repository';
import { InboundProcessor } from '../../src/doors/email/inbound.processor';
import { FileStore } from '../../src/engine/storage/file-store';
import type { Harness } from '../support/intake-harness';
import { fixture, repliesTo, send, Sink, startMailDoor } from '../email/mail-support';
import { eventually, importsFrom, measureInboundCpu, rawMessages } from './mail-limits-support';

let h: Harness;
let sink: Sink;
const DOMAIN = 'import.test';

let close: () => Promise<void>;

beforeAll(async () => {
  ({ h, sink, close } = await startMailDoor('mail-raw-retention', DOMAIN));
});
afterAll(() => close());

const uploads = () =>
  h.app.context.get<Connection>(getConnectionToken()).db!.collection('uploads.files').countDocuments();

test('the raw message is deleted from GridFS once handled; the CSV it carried stays as its own file', async () => {
  const ana = 'raw-gone@example.com';
  const cpu = measureInboundCpu(h);
  try {
    expect(await send(h, { from: ana, to: `clients@${DOMAIN}` }, fixture('gmail-base64.eml', ana))).toEqual({
      ok: true,
    });
    await repliesTo(sink, ana);
    await eventually(async () => cpu.runs.length === 1);
    expect(await rawMessages(h)).toBe(0);
    const [made] = await importsFrom(h, ana);
    expect(made!.fileName).toBe('fair-clients.csv');
    expect(await uploads()).toBe(1);

    // The same job run again, as after a crash before the queue heard it finished: nothing new happens.
    await h.app.context.get(InboundProcessor).handle(cpu.runs[0]!.job);
    expect(await importsFrom(h, ana)).toHaveLength(1);
    expect(sink.mails.filter((m) => m.text?.includes('fair-clients.csv'))).toHaveLength(1);
  } finally {
    cpu.restore();
  }
});

test('a job run again after a crash between marking a message handled and deleting it only deletes it', async () => {
  const { fileId } = await h.app.context
    .get(FileStore)
    .save(h.workspaceId, Readable.from([Buffer.from(fixture('gmail-base64.eml'))]), 'message.eml', 1e6);
  await h.app.context.get(HandledMessages).markHandled(h.workspaceId, fileId, new Date());
  const sent = sink.mails.length;
  const cpu = measureInboundCpu(h);
  try {
    await h.app.context.get(InboundProcessor).enqueue({
      rawFileId: fileId,
      workspaceId: h.workspaceId,
      envelopeFrom: 'ana@example.com',
      recipient: `clients@${DOMAIN}`,
      sender: 'ana@example.com',
      receivedAt: new Date().toISOString(),
    });
    await eventually(async () => cpu.runs.length === 1);
    expect(await rawMessages(h)).toBe(0);
    expect(await importsFrom(h, 'ana@example.com')).toHaveLength(0);
    expect(sink.mails.length).toBe(sent);
  } finally {
    cpu.restore();
  }
});
