import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { InboundProcessor } from '../../src/doors/email/inbound.processor';
import type { InboundMailPayload } from '../../src/engine/queue/job-catalogue';
import type { Harness } from '../support/intake-harness';

/** CPU (user + system, ms) of this process while each inbound message was handled by the worker. */
export interface HandlerCpu {
  runs: { job: InboundMailPayload; cpuMs: number }[];
  restore(): void;
}

/**
 * Wraps the running worker's handler of inbound mail to measure the process's CPU time around each
 * message. Intake runs in the test's process, so this is an upper bound of what the message cost.
 */
export function measureInboundCpu(h: Harness): HandlerCpu {
  const processor = h.app.context.get(InboundProcessor);
  const original = processor.handle.bind(processor);
  const runs: HandlerCpu['runs'] = [];
  const spy = jest.spyOn(processor, 'handle').mockImplementation(async (job: InboundMailPayload) => {
    const started = process.cpuUsage();
    try {
      await original(job);
    } finally {
      const used = process.cpuUsage(started);
      runs.push({ job, cpuMs: (used.user + used.system) / 1000 });
    }
  });
  return { runs, restore: () => spy.mockRestore() };
}

/** Raw inbound messages still in GridFS. */
export async function rawMessages(h: Harness): Promise<number> {
  const db = h.app.context.get<Connection>(getConnectionToken()).db!;
  return db.collection('uploads.files').countDocuments({ filename: 'message.eml' });
}

/** Imports the email door made for one sender. */
export async function importsFrom(h: Harness, sender: string): Promise<{ fileName: string }[]> {
  const db = h.app.context.get<Connection>(getConnectionToken()).db!;
  return db
    .collection<{ fileName: string }>('imports')
    .find({ 'origin.sender': sender }, { projection: { _id: 0, fileName: 1 } })
    .toArray();
}

export { eventually } from '../support/eventually';
