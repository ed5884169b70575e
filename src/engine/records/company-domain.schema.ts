import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Which company a website domain belongs to in a workspace: the company's duplicate key (its normalized
 * name) and the name it was claimed with. Claimed before the company record is written, so the unique
 * index on (workspace, domain), not a read, decides when two rows or two imports name one domain: the
 * loser becomes that company's duplicate. Kept apart from the records because a unique index over an
 * optional field would need a partial or sparse index, which FerretDB does not have.
 */
@Schema({ collection: 'company_domains', versionKey: false })
export class CompanyDomain {
  @Prop({ required: true }) workspaceId!: string;
  @Prop({ required: true }) domain!: string;
  @Prop({ required: true }) companyKey!: string;
  @Prop({ required: true }) name!: string;
  /** The import and file row that claimed it: a batch retried after a crash recognises its own claim. */
  @Prop({ type: String, required: true }) importId!: string;
  @Prop({ type: Number, required: true }) sourceRow!: number;
  @Prop({ type: Date, required: true }) createdAt!: Date;
}

export const CompanyDomainSchema = SchemaFactory.createForClass(CompanyDomain);
CompanyDomainSchema.index({ workspaceId: 1, domain: 1 }, { unique: true });
CompanyDomainSchema.index({ importId: 1 });
