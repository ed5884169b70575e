import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ConversationModule } from '../../engine/conversation/conversation.module';
import { ConversationsRepository } from './conversations.repository';
import {
  EmailConversation,
  EmailConversationSchema,
  EmailOutboxEntry,
  EmailOutboxEntrySchema,
  EmailReplyCount,
  EmailReplyCountSchema,
  EmailSetting,
  EmailSettingSchema,
  EmailInboundAttempt,
  EmailInboundAttemptSchema,
  EmailInboundHandled,
  EmailInboundHandledSchema,
} from './email.schema';
import { FirstMessageHandler } from './first-message.handler';
import { HandledMessages } from './handled-messages.repository';
import { InboundAttempts } from './inbound-attempts.repository';
import { InboundProcessor } from './inbound.processor';
import { MailAuthCheck } from '../../protocols/mail/mail-auth.check';
import { OutboxService } from './outbox.service';
import { ReplySecret } from './reply-secret';
import { FollowUpAddress } from './follow-up-address';
import { FollowUpHandler } from './follow-up.handler';
import { ReplyHandler } from './reply.handler';
import { SenderPolicy } from './sender-policy';
import { SmtpServerService } from './smtp-server.service';
import { SummaryListener } from './summary.listener';

/** The email door: loaded with the smtp role. */
@Module({
  imports: [
    ConversationModule,
    MongooseModule.forFeature([
      { name: EmailConversation.name, schema: EmailConversationSchema },
      { name: EmailOutboxEntry.name, schema: EmailOutboxEntrySchema },
      { name: EmailReplyCount.name, schema: EmailReplyCountSchema },
      { name: EmailSetting.name, schema: EmailSettingSchema },
      { name: EmailInboundHandled.name, schema: EmailInboundHandledSchema },
      { name: EmailInboundAttempt.name, schema: EmailInboundAttemptSchema },
    ]),
  ],
  providers: [
    ConversationsRepository,
    HandledMessages,
    InboundAttempts,
    SenderPolicy,
    ReplySecret,
    MailAuthCheck,
    OutboxService,
    FirstMessageHandler,
    ReplyHandler,
    FollowUpHandler,
    FollowUpAddress,
    InboundProcessor,
    SummaryListener,
    SmtpServerService,
  ],
  exports: [SmtpServerService, MailAuthCheck, OutboxService],
})
export class EmailModule {}
