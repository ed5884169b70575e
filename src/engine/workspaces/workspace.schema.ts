import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';

/**
 * One API key, in a document of its own: adding a key is an insert and revoking one is an update of
 * that key's document alone, so neither can undo the other, on MongoDB and on FerretDB 1.x (whose
 * updates rewrite the whole document). No write ever clears `revokedAt`.
 */
@Schema({ collection: 'api_keys', versionKey: false })
export class ApiKey {
  /** Shown to people and given to `key-revoke`; unique within its workspace. */
  @Prop({ required: true }) id!: string;
  @Prop({ required: true }) workspaceId!: string;
  /** SHA-256 of the key: keys are random 32-byte secrets, so a fast hash is enough and lookups stay indexed. */
  @Prop({ required: true }) hash!: string;
  @Prop({ required: true }) label!: string;
  @Prop({ type: Date, required: true }) createdAt!: Date;
  @Prop({ type: Date, default: null }) revokedAt!: Date | null;
}

export type ApiKeyEntry = Omit<ApiKey, 'workspaceId'>;
export const ApiKeySchema = SchemaFactory.createForClass(ApiKey);
ApiKeySchema.index({ hash: 1 }, { unique: true });
ApiKeySchema.index({ workspaceId: 1, id: 1 });

@Schema({ collection: 'workspaces', versionKey: false, minimize: false })
export class Workspace {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) name!: string;
  @Prop({ default: 'US' }) defaultCountry!: string;
  @Prop({ type: [String], default: [] }) allowedSenders!: string[];
  @Prop({ type: [String], default: [] }) slackTeamIds!: string[];
  @Prop({ default: false }) emailAutoStart!: boolean;
  /** Who may confirm an import in its Slack thread: any member of the team, or the sharer and admins. */
  @Prop({ type: String, default: 'team' }) slackConfirm!: 'team' | 'sharer';
  /** Slack user ids that may act on every Slack import of the workspace, and undo any import. */
  @Prop({ type: [String], default: [] }) slackAdmins!: string[];
  /** Whether Slack's own workspace admins and owners (users.info) count as admins too. */
  @Prop({ default: false }) slackTrustWorkspaceAdmins!: boolean;
  /** Whether a file shared in Slack that is no table gets a short answer (true) or silence. */
  @Prop({ default: true }) slackAnswerNonTables!: boolean;
  @Prop({ type: Date, required: true }) createdAt!: Date;
}

export type WorkspaceDocument = HydratedDocument<Workspace>;
export const WorkspaceSchema = SchemaFactory.createForClass(Workspace);
WorkspaceSchema.index({ slackTeamIds: 1 });

/** A header→field choice a person confirmed, suggested with full confidence next time. */
@Schema({ collection: 'mapping_memory', versionKey: false })
export class MappingMemory {
  @Prop({ required: true }) workspaceId!: string;
  @Prop({ required: true }) type!: string;
  @Prop({ required: true }) header!: string;
  @Prop({ type: String, default: null }) field!: string | null;
  @Prop({ type: Date, required: true }) updatedAt!: Date;
  /** The header as the file wrote it, clipped; absent for choices learned before it was kept. */
  @Prop({ type: String, default: null }) label!: string | null;
  /** The import it was learned from, and that import's file name; absent as `label`. */
  @Prop({ type: String, default: null }) importId!: string | null;
  @Prop({ type: String, default: null }) fileName!: string | null;
}

export const MappingMemorySchema = SchemaFactory.createForClass(MappingMemory);
MappingMemorySchema.index({ workspaceId: 1, type: 1, header: 1 }, { unique: true });
// The most recent first, for the cap on learned headers.
MappingMemorySchema.index({ workspaceId: 1, type: 1, updatedAt: -1 });

/** A custom field of a workspace's type: kept by an import that started, listed with the type's fields. */
@Schema({ collection: 'custom_fields', versionKey: false })
export class CustomField {
  @Prop({ required: true }) workspaceId!: string;
  @Prop({ required: true }) type!: string;
  @Prop({ required: true }) key!: string;
  /** The header of the column that first fed it, clipped. */
  @Prop({ required: true }) label!: string;
  @Prop({ type: Date, required: true }) createdAt!: Date;
}

export const CustomFieldSchema = SchemaFactory.createForClass(CustomField);
CustomFieldSchema.index({ workspaceId: 1, type: 1, key: 1 }, { unique: true });
