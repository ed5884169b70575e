import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { EmailInboundAttempt } from './email.schema';

/** What earlier starts of a message's handling left behind, as a new start finds it. */
export interface EarlierStarts {
  /** Starts that never ended: their process died, or they ran past the time budget. */
  unfinished: number;
  /** Of those, the ones that ran past the time budget. */
  overran: number;
  /** The message was set aside by an earlier start: nothing is left to do. */
  setAside: boolean;
}

/**
 * Each start of an inbound message's handling is written down before it runs and taken back when it
 * ends, so a message whose handling kills the process is recognised when its job runs again.
 */
@Injectable()
export class InboundAttempts {
  constructor(@InjectModel(EmailInboundAttempt.name) private readonly model: Model<EmailInboundAttempt>) {}

  /** True when an earlier start never ended (its process died, or it ran past its time budget). */
  async wasInterrupted(rawFileId: string): Promise<boolean> {
    return (await this.model.exists({ _id: rawFileId, unfinished: { $gt: 0 } })) !== null;
  }

  /** Records a start, in one atomic step that also reads what the starts before it left. */
  async begin(workspaceId: string, rawFileId: string, now: Date): Promise<EarlierStarts> {
    const before = await this.model
      .findOneAndUpdate(
        { _id: rawFileId },
        {
          $inc: { unfinished: 1 },
          $set: { startedAt: now },
          $setOnInsert: { workspaceId, overran: 0, setAsideAt: null, reason: '' },
        },
        { upsert: true, new: false },
      )
      .lean();
    return {
      unfinished: before?.unfinished ?? 0,
      overran: before?.overran ?? 0,
      setAside: Boolean(before?.setAsideAt),
    };
  }

  /** The start ended by an ordinary error: it no longer counts, and the job is retried as usual. */
  async failed(rawFileId: string): Promise<void> {
    await this.model.updateOne({ _id: rawFileId, unfinished: { $gt: 0 } }, { $inc: { unfinished: -1 } });
  }

  /** The start ran past its time budget: it stays unfinished, marked as such. */
  async overran(rawFileId: string): Promise<void> {
    await this.model.updateOne({ _id: rawFileId }, { $inc: { overran: 1 } });
  }

  /** The message was handled, or its job given up on: nothing of its starts is needed any more. */
  async forget(rawFileId: string): Promise<void> {
    await this.model.deleteOne({ _id: rawFileId, setAsideAt: null });
  }

  /** The message will not be handled again; the mark keeps why, beside its raw copy. */
  async setAside(rawFileId: string, reason: string, now: Date): Promise<void> {
    await this.model.updateOne({ _id: rawFileId }, { $set: { setAsideAt: now, reason } });
  }
}
