import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, Types } from 'mongoose';
import type { FieldKey } from '../../core/field-catalog';
import type { RecordType } from '../../core/record-type';
import type { RecordFields } from '../../core/validate/row-validator';

export type ChangeOutcome = 'restored' | 'kept';

/**
 * What an update or fill import changed on one existing record: the previous values of the fields it
 * changed, and the versions before and after. One per import and record (a unique index), written before
 * the record itself, so a batch retried after a crash finds it and writes it again rather than twice.
 */
@Schema({ collection: 'record_changes', versionKey: false, minimize: false })
export class RecordChange {
  @Prop({ required: true }) workspaceId!: string;
  @Prop({ required: true }) importId!: string;
  @Prop({ type: String, required: true }) type!: RecordType;
  @Prop({ type: MongooseSchema.Types.ObjectId, required: true }) recordId!: Types.ObjectId;
  @Prop({ required: true }) key!: string;
  @Prop({ required: true }) fromVersion!: number;
  @Prop({ required: true }) toVersion!: number;
  @Prop({ type: Object, required: true }) before!: RecordFields;
  @Prop({ type: [String], default: [] }) absent!: FieldKey[];
  /** The custom values before and the custom keys that had none, when the import changed any. */
  @Prop({ type: Object, default: null }) custom!: { before: Record<string, string>; absent: string[] } | null;
  /** The E.164 form before, when the import changed it. */
  @Prop({ type: Object, default: null }) phone!: { from: string | null } | null;
  /** The company linked before, when the import linked the record to another. */
  @Prop({ type: Object, default: null }) company!: { from: string | null } | null;
  @Prop({ type: String, default: null }) lastImportBefore!: string | null;
  /** Set by a rollback once it has dealt with this change. */
  @Prop({ type: String, default: null }) outcome!: ChangeOutcome | null;
}

export const RecordChangeSchema = SchemaFactory.createForClass(RecordChange);
RecordChangeSchema.index({ importId: 1, recordId: 1 }, { unique: true });
