import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { RecordType } from '../../core/record-type';

/** One emailed file set and its reply token: who sent it, which imports it made, where to answer. */
@Schema({ collection: 'email_conversations', versionKey: false, minimize: false })
export class EmailConversation {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) workspaceId!: string;
  @Prop({ type: String, required: true }) type!: RecordType;
  /** The From address of the first message: only this person may confirm. */
  @Prop({ required: true }) sender!: string;
  @Prop({ type: [String], default: [] }) importIds!: string[];
  @Prop({ default: '' }) subject!: string;
  /** Message-ID of the person's latest message, and the thread's references, for In-Reply-To/References. */
  @Prop({ default: '' }) messageId!: string;
  @Prop({ type: [String], default: [] }) references!: string[];
  /** The stored raw message this conversation came from, so a retried job does not upload twice. */
  @Prop({ default: '' }) sourceFileId!: string;
  @Prop({ type: Date, required: true }) createdAt!: Date;
  @Prop({ type: Date, required: true }) expiresAt!: Date;
  /** Set atomically when the token starts (or cancels) the imports: single use. */
  @Prop({ type: Date, default: null }) usedAt!: Date | null;
}
export const EmailConversationSchema = SchemaFactory.createForClass(EmailConversation);
EmailConversationSchema.index({ importIds: 1 });
EmailConversationSchema.index({ sourceFileId: 1 });

/** A reply waiting to be sent or sent: the key makes enqueuing twice harmless, `status` stops a second send. */
@Schema({ collection: 'email_outbox', versionKey: false, minimize: false })
export class EmailOutboxEntry {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: Object, required: true }) mail!: Record<string, unknown>;
  @Prop({ type: String, default: 'queued' }) status!: 'queued' | 'sent' | 'dropped';
  @Prop({ type: Date, required: true }) createdAt!: Date;
  @Prop({ type: Date, default: null }) sentAt!: Date | null;
}
export const EmailOutboxEntrySchema = SchemaFactory.createForClass(EmailOutboxEntry);

/** Replies per recipient per hour, shared by every process (rate limit). */
@Schema({ collection: 'email_reply_counts', versionKey: false })
export class EmailReplyCount {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ default: 0 }) count!: number;
  @Prop({ type: Date, required: true }) hour!: Date;
}
export const EmailReplyCountSchema = SchemaFactory.createForClass(EmailReplyCount);

/** Settings every process must agree on, such as the generated reply-token secret. */
@Schema({ collection: 'email_settings', versionKey: false })
export class EmailSetting {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) value!: string;
}
export const EmailSettingSchema = SchemaFactory.createForClass(EmailSetting);

/**
 * A stored inbound message that has been handled: written before its raw copy is deleted, so a job run
 * again after a crash knows the copy is gone because it was handled, not lost. Kept a week.
 */
@Schema({ collection: 'email_inbound_handled', versionKey: false })
export class EmailInboundHandled {
  /** The raw message's GridFS id. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) workspaceId!: string;
  @Prop({ type: Date, required: true }) at!: Date;
}
export const EmailInboundHandledSchema = SchemaFactory.createForClass(EmailInboundHandled);
EmailInboundHandledSchema.index({ at: 1 });

/**
 * Starts of an inbound message's handling that have not ended (the process died, or the start ran past
 * its time budget): written before the handling starts and taken back when it ends. A message with two
 * such starts is set aside instead of being handled a third time, and the mark then says why.
 */
@Schema({ collection: 'email_inbound_attempts', versionKey: false })
export class EmailInboundAttempt {
  /** The raw message's GridFS id. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) workspaceId!: string;
  @Prop({ default: 0 }) unfinished!: number;
  /** Of those, the starts that ran past the time budget (the others died with their process). */
  @Prop({ default: 0 }) overran!: number;
  @Prop({ type: Date, required: true }) startedAt!: Date;
  @Prop({ type: Date, default: null }) setAsideAt!: Date | null;
  @Prop({ default: '' }) reason!: string;
}
export const EmailInboundAttemptSchema = SchemaFactory.createForClass(EmailInboundAttempt);
