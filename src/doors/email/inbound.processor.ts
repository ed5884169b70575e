import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redact } from '../../core/redact';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { FileStore } from '../../engine/storage/file-store';
import { parseRecipient } from './email-address';
import { EMAIL_INBOUND_QUEUE, InboundJob } from './email.constants';
import { FirstMessageHandler } from './first-message.handler';
import { readMessage } from './inbound-reader';
import { plainBody } from './mail-render';
import { OutboxService } from './outbox.service';
import { ReplyHandler } from './reply.handler';

/**
 * Messages accepted with 250 wait in GridFS with a Bull job each; this parses them in the background,
 * so a crash after 250 only delays the answer. The raw message is deleted once it has been handled.
 */
@Injectable()
export class InboundProcessor implements OnApplicationBootstrap {
  private readonly log = new Logger('EmailInbound');
  /** First retry delay of a message that could not be handled (a property so a test can shorten it). */
  retryDelayMs = 2000;

  constructor(
    @InjectQueue(EMAIL_INBOUND_QUEUE) private readonly queue: Queue<InboundJob>,
    private readonly files: FileStore,
    private readonly first: FirstMessageHandler,
    private readonly replies: ReplyHandler,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.queue.process(2, (job) => this.handle(job.data));
    this.queue.on('failed', (job: Job<InboundJob>) => void this.onFailed(job));
  }

  async enqueue(job: InboundJob): Promise<void> {
    await this.queue.add(job, {
      jobId: job.rawFileId,
      attempts: 5,
      backoff: { type: 'exponential', delay: this.retryDelayMs },
      removeOnComplete: true,
      removeOnFail: 1000,
    });
  }

  /**
   * The sender was told 250, so a message that could not be handled after every attempt is not left
   * silent: the sender hears that it was not processed. The raw message stays in GridFS for inspection.
   */
  private async onFailed(job: Job<InboundJob>): Promise<void> {
    if (job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const { rawFileId, workspaceId, sender } = job.data;
    this.log.error(`message ${rawFileId} given up after ${job.attemptsMade} attempts`);
    const body = plainBody([
      'Intake accepted your message but could not process it, so nothing was imported.',
      'Please send it again. If this happens again, ask whoever runs Intake to look at message ' +
        `${rawFileId}.`,
    ]);
    await this.outbox
      .send(`inbound-failed:${rawFileId}`, {
        workspaceId,
        to: sender,
        subject: 'Your message to Intake was not processed',
        ...body,
        attachments: [],
      })
      .catch((e: unknown) =>
        this.log.error(redact(`could not tell the sender of ${rawFileId}: ${(e as Error).message}`)),
      );
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
