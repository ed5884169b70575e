import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CLOCK, Clock } from '../../core/clock';
import { ConversationsRepository } from './conversations.repository';
import { replyAddress } from './email-address';
import type { EmailConversation } from './email.schema';
import { ReplySecret } from './reply-secret';
import { issueToken } from '../../protocols/mail/reply-token';

/**
 * A reply address for answering one of Intake's own messages about imports that moved on (started,
 * ended): a new single-use conversation in the same thread, the same for the same `key`, so a message
 * sent again carries the same address.
 */
@Injectable()
export class FollowUpAddress {
  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly secret: ReplySecret,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async open(conv: EmailConversation, importIds: readonly string[], key: string): Promise<string> {
    const id = createHash('sha256').update(key).digest('hex').slice(0, 16);
    if (!(await this.conversations.find(id))) {
      const now = this.clock.now();
      await this.conversations.create({
        ...conv,
        _id: id,
        importIds: [...importIds],
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.config.mail.replyTtlHours * 3_600_000),
        usedAt: null,
      });
    }
    const follow = (await this.conversations.find(id))!;
    const token = issueToken(await this.secret.get(), id, follow.expiresAt, conv.sender);
    return replyAddress(token, this.config.mail.importDomain);
  }
}
