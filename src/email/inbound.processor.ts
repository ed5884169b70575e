import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redact } from '../common/redact';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { FileStore } from '../storage/file-store';
import { parseRecipient } from './email-address';
import { EMAIL_INBOUND_QUEUE, InboundJob } from './email.constants';
import { FirstMessageHandler } from './first-message.handler';
import { readMessage } from './inbound-reader';
import { ReplyHandler } from './reply.handler';

/**
 * Messages accepted with 250 wait in GridFS with a Bull job each; this parses them in the background,
 * so a crash after 250 only delays the answer. The raw message is deleted once it has been handled.
 */
@Injectable()
export class InboundProcessor implements OnApplicationBootstrap {
  private readonly log = new Logger('EmailInbound');

  constructor(
    @InjectQueue(EMAIL_INBOUND_QUEUE) private readonly queue: Queue<InboundJob>,
    private readonly files: FileStore,
    private readonly first: FirstMessageHandler,
    private readonly replies: ReplyHandler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.queue.process(2, (job) => this.handle(job.data));
  }

  async enqueue(job: InboundJob): Promise<void> {
    await this.queue.add(job, {
      jobId: job.rawFileId,
      attempts: 5,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: true,
      removeOnFail: 1000,
    });
  }

  async handle(job: InboundJob): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'intake-mail-'));
    try {
      const msg = await readMessage(this.files.open(job.rawFileId), dir);
      const to = parseRecipient(job.recipient, this.config.mail.importDomain);
      if (to?.kind === 'type') await this.first.handle(job, to.type, msg);
      else if (to?.kind === 'reply') await this.replies.handle(job, to.token, msg);
      await this.files.delete(job.rawFileId);
    } catch (e) {
      this.log.error(redact(`message ${job.rawFileId} not handled yet: ${(e as Error).message}`));
      throw e;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
