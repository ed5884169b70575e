import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';

export interface ApiKeyEntry {
  id: string;
  /** SHA-256 of the key: keys are random 32-byte secrets, so a fast hash is enough and lookups stay indexed. */
  hash: string;
  label: string;
  createdAt: Date;
  revokedAt: Date | null;
}

@Schema({ collection: 'workspaces', versionKey: false, minimize: false })
export class Workspace {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) name!: string;
  @Prop({ default: 'US' }) defaultCountry!: string;
  @Prop({ type: [Object], default: [] }) apiKeys!: ApiKeyEntry[];
  @Prop({ type: [String], default: [] }) allowedSenders!: string[];
  @Prop({ type: [String], default: [] }) slackTeamIds!: string[];
  @Prop({ default: false }) emailAutoStart!: boolean;
  /** Who may confirm an import in its Slack thread: any member of the team, or the sharer and admins. */
  @Prop({ type: String, default: 'team' }) slackConfirm!: 'team' | 'sharer';
  /** Slack user ids that may act on every Slack import of the workspace, and undo any import. */
  @Prop({ type: [String], default: [] }) slackAdmins!: string[];
  /** Whether Slack's own workspace admins and owners (users.info) count as admins too. */
  @Prop({ default: false }) slackTrustWorkspaceAdmins!: boolean;
  @Prop({ type: Date, required: true }) createdAt!: Date;
}

export type WorkspaceDocument = HydratedDocument<Workspace>;
export const WorkspaceSchema = SchemaFactory.createForClass(Workspace);
WorkspaceSchema.index({ 'apiKeys.hash': 1 });
WorkspaceSchema.index({ slackTeamIds: 1 });

/** A header→field choice a person confirmed, suggested with full confidence next time. */
@Schema({ collection: 'mapping_memory', versionKey: false })
export class MappingMemory {
  @Prop({ required: true }) workspaceId!: string;
  @Prop({ required: true }) type!: string;
  @Prop({ required: true }) header!: string;
  @Prop({ type: String, default: null }) field!: string | null;
  @Prop({ type: Date, required: true }) updatedAt!: Date;
}

export const MappingMemorySchema = SchemaFactory.createForClass(MappingMemory);
MappingMemorySchema.index({ workspaceId: 1, type: 1, header: 1 }, { unique: true });
