import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';
import type { RecordType } from '../../core/record-type';
import type { CustomValues, RecordFields } from '../../core/validate/row-validator';

/** A client, lead or company. `key` is its duplicate key (the normalised email, or for companies the normalised name), unique per workspace and type. */
@Schema({ collection: 'records', versionKey: false, minimize: false })
export class ContactRecord {
  @Prop({ required: true }) workspaceId!: string;
  @Prop({ type: String, required: true }) type!: RecordType;
  @Prop({ required: true }) key!: string;
  @Prop({ type: Object, required: true }) fields!: RecordFields;
  /** Columns kept as custom fields: strings by custom key; absent on a record that never had one. */
  @Prop({ type: Object }) custom?: CustomValues;
  @Prop({ type: String, default: null }) phoneE164!: string | null;
  /** The import that created it (rollback deletes by it) and the file row it came from. */
  @Prop({ type: String, default: null }) importId!: string | null;
  @Prop({ type: Number, default: null }) sourceRow!: number | null;
  @Prop({ type: String, default: null }) lastImportId!: string | null;
  /**
   * Raised by every change to the record (1 when created; records stored before versions existed count
   * as 1). A rollback restores a record only while it still holds the version its import gave it.
   */
  @Prop({ type: Number, default: 1 }) version!: number;
  /** A client's or lead's company (the id of a `companies` record of the workspace), or null. */
  @Prop({ type: String, default: null }) companyId!: string | null;
  /** A company an import created only to link contacts to (name only): its rollback may delete it. */
  @Prop({ type: Boolean, default: false }) autoCreated!: boolean;
  /** The import whose rollback last restored this record: an interrupted rollback recognises its own work. */
  @Prop({ type: String, default: null }) undoneBy!: string | null;
  @Prop({ type: Date, required: true }) createdAt!: Date;
  @Prop({ type: Date, required: true }) updatedAt!: Date;
}

export type ContactRecordDocument = HydratedDocument<ContactRecord>;
export const ContactRecordSchema = SchemaFactory.createForClass(ContactRecord);
// The database, not the code, guarantees one record per key: concurrent imports cannot double-create.
ContactRecordSchema.index({ workspaceId: 1, type: 1, key: 1 }, { unique: true });
ContactRecordSchema.index({ importId: 1 });
// A company's contacts, counted and paged.
ContactRecordSchema.index({ workspaceId: 1, companyId: 1 });
ContactRecordSchema.index({ workspaceId: 1, type: 1, createdAt: -1 });
