import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { OnDuplicate } from '../../engine/imports/import.schema';

export type SlackFileState = 'claimed' | 'imported' | 'refused';

/**
 * One document per file shared in Slack. `_id` is `<team>:<file>`: the primary key is the unique
 * index that makes the first event to insert it the only one that imports the file, across retries,
 * the two events of one upload, and several API processes.
 */
@Schema({ collection: 'slack_files', versionKey: false, minimize: false })
export class SlackFile {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) teamId!: string;
  @Prop({ required: true }) fileId!: string;
  @Prop({ required: true }) workspaceId!: string;
  @Prop({ required: true }) channel!: string;
  /** The thread every answer goes to; empty until known. */
  @Prop({ type: String, default: '' }) threadTs!: string;
  @Prop({ type: String, default: '' }) userId!: string;
  @Prop({ type: String, required: true }) state!: SlackFileState;
  @Prop({ type: String, default: null }) importId!: string | null;
  /** The mapping messages, in order (several for wide files). */
  @Prop({ type: [String], default: [] }) mappingTs!: string[];
  @Prop({ type: String, default: null }) progressTs!: string | null;
  @Prop({ type: String, default: 'skip' }) onDuplicate!: OnDuplicate;
  /** The "link contacts to companies" checkbox (on by default). */
  @Prop({ type: Boolean, default: true }) linkCompanies!: boolean;
  /** Steps of end-of-import notices already done (`<notice key>:summary`, `…:report`), so a retry skips them. */
  @Prop({ type: [String], default: [] }) noticesDone!: string[];
  /** Later shares of the same file (their message ts) that were answered with a pointer to this thread. */
  @Prop({ type: [String], default: [] }) reshares?: string[];
  @Prop({ type: Date, required: true }) createdAt!: Date;
}

export const SlackFileSchema = SchemaFactory.createForClass(SlackFile);
SlackFileSchema.index({ teamId: 1, fileId: 1 }, { unique: true });
SlackFileSchema.index({ importId: 1 });
SlackFileSchema.index({ createdAt: -1 });
