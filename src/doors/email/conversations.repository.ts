import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { EmailConversation } from './email.schema';

@Injectable()
export class ConversationsRepository {
  constructor(@InjectModel(EmailConversation.name) private readonly model: Model<EmailConversation>) {}

  async create(doc: EmailConversation): Promise<void> {
    await this.model.collection.insertOne(doc as unknown as Record<string, unknown>);
  }

  async find(id: string): Promise<EmailConversation | null> {
    return this.model.findById(id).lean<EmailConversation>();
  }

  async findBySource(workspaceId: string, sourceFileId: string): Promise<EmailConversation | null> {
    return this.model.findOne({ workspaceId, sourceFileId }).lean<EmailConversation>();
  }

  /** The newest conversation about an import (a dry run's summary opens a second one). */
  async findByImport(workspaceId: string, importId: string): Promise<EmailConversation | null> {
    return this.model
      .findOne({ workspaceId, importIds: importId })
      .sort({ createdAt: -1 })
      .lean<EmailConversation>();
  }

  /** Single use: only the first caller gets true, however many processes try at once. */
  async consume(workspaceId: string, id: string, now: Date): Promise<boolean> {
    const res = await this.model.updateOne({ _id: id, workspaceId, usedAt: null }, { $set: { usedAt: now } });
    return res.modifiedCount === 1;
  }

  async setThread(workspaceId: string, id: string, messageId: string, references: string[]): Promise<void> {
    await this.model.updateOne({ _id: id, workspaceId }, { $set: { messageId, references } });
  }
}
