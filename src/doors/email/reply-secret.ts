import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ID_GENERATOR, IdGenerator } from '../../core/clock';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EmailSetting } from './email.schema';

/** INTAKE_REPLY_SECRET, or one generated once and kept in the database so every process agrees. */
@Injectable()
export class ReplySecret {
  private value: string | null = null;

  constructor(
    @InjectModel(EmailSetting.name) private readonly settings: Model<EmailSetting>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async get(): Promise<string> {
    if (this.value) return this.value;
    if (this.config.mail.replySecret) return (this.value = this.config.mail.replySecret);
    // $setOnInsert: the first process to start writes it; every later one reads the same value.
    const doc = await this.settings
      .findOneAndUpdate(
        { _id: 'reply-secret' },
        { $setOnInsert: { value: this.ids.secret(32) } },
        { upsert: true, new: true },
      )
      .lean<EmailSetting>();
    return (this.value = doc!.value);
  }
}
