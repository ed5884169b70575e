import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { EmailInboundHandled } from './email.schema';

/** How long a handled message is remembered: far longer than any retry of its job. */
const KEEP_MS = 7 * 24 * 3_600_000;

/** Which stored inbound messages were handled, for jobs that run again after their raw copy is gone. */
@Injectable()
export class HandledMessages {
  constructor(@InjectModel(EmailInboundHandled.name) private readonly model: Model<EmailInboundHandled>) {}

  async wasHandled(rawFileId: string): Promise<boolean> {
    return (await this.model.exists({ _id: rawFileId })) !== null;
  }

  /** Records the message as handled, and forgets those handled long ago (the list stays small). */
  async markHandled(workspaceId: string, rawFileId: string, now: Date): Promise<void> {
    await this.model.updateOne(
      { _id: rawFileId },
      { $setOnInsert: { workspaceId, at: now } },
      { upsert: true },
    );
    await this.model.deleteMany({ at: { $lt: new Date(now.getTime() - KEEP_MS) } });
  }
}
