import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ConversationsRepository } from './conversations.repository';
import { EMAIL_INBOUND_QUEUE, EMAIL_OUTBOUND_QUEUE } from './email.constants';
import {
  EmailConversation,
  EmailConversationSchema,
  EmailOutboxEntry,
  EmailOutboxEntrySchema,
  EmailReplyCount,
  EmailReplyCountSchema,
  EmailSetting,
  EmailSettingSchema,
} from './email.schema';
import { FirstMessageHandler } from './first-message.handler';
import { InboundProcessor } from './inbound.processor';
import { MailAuthCheck } from './mail-auth.check';
import { OutboxService } from './outbox.service';
import { ReplySecret } from './reply-secret.service';
import { ReplyHandler } from './reply.handler';
import { SenderPolicy } from './sender-policy.service';
import { SmtpServerService } from './smtp-server.service';
import { SummaryListener } from './summary.listener';

const queue = (name: string) =>
  BullModule.registerQueueAsync({
    name,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ({ url: config.redisUrl, prefix: config.queue.prefix }),
  });

/** The email door (issue 4): loaded with the smtp role. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: EmailConversation.name, schema: EmailConversationSchema },
      { name: EmailOutboxEntry.name, schema: EmailOutboxEntrySchema },
      { name: EmailReplyCount.name, schema: EmailReplyCountSchema },
      { name: EmailSetting.name, schema: EmailSettingSchema },
    ]),
    queue(EMAIL_INBOUND_QUEUE),
    queue(EMAIL_OUTBOUND_QUEUE),
  ],
  providers: [
    ConversationsRepository,
    SenderPolicy,
    ReplySecret,
    MailAuthCheck,
    OutboxService,
    FirstMessageHandler,
    ReplyHandler,
    InboundProcessor,
    SummaryListener,
    SmtpServerService,
  ],
  exports: [SmtpServerService, MailAuthCheck, OutboxService],
})
export class EmailModule {}
