import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOCK, Clock } from '../../core/clock';
import { redact } from '../../core/redact';
import { TimedOut, within } from '../../core/time-limit';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { safeFileName } from '../../engine/use-cases/propose/safe-file-name';
import { FileStore } from '../../engine/storage/file-store';
import { parseRecipient } from './email-address';
import type { InboundMailPayload } from '../../engine/queue/job-catalogue';
import { JobQueues } from '../../engine/queue/job-queues';
import { FirstMessageHandler } from './first-message.handler';
import { HandledMessages } from './handled-messages.repository';
import { EarlierStarts, InboundAttempts } from './inbound-attempts.repository';
import { isBeyondParserLimits, readMessage, type ReadMessage } from '../../protocols/mail/inbound-reader';
import { plainBody } from './mail-body';
import { setAsideBody, setAsideReason, tooComplexBody } from './mail-refusals';
import { OutboxService } from './outbox.service';
import { ReplyHandler } from './reply.handler';
import { SoloGate } from '../../protocols/mail/solo-gate';

/** Starts of one message that may end without ending (process died, time budget spent) before it is set aside. */
const UNFINISHED_STARTS = 2;

/** One start of a message's handling; `abandoned` once its time budget ran out and it no longer owns the message. */
interface Run {
  abandoned: boolean;
}

/**
 * Messages accepted with 250 wait in GridFS with a Bull job each; this parses them in the background,
 * so a crash after 250 only delays the answer. The raw message is deleted once it has been handled.
 * A message whose handling killed the process, or ran past its time budget, twice is set aside: the
 * sender is told once and it is never tried again, so one message cannot keep taking Intake down.
 */
@Injectable()
export class InboundProcessor implements OnApplicationBootstrap {
  private readonly log = new Logger('EmailInbound');
  private readonly gate = new SoloGate();
  constructor(
    private readonly jobs: JobQueues,
    private readonly files: FileStore,
    private readonly first: FirstMessageHandler,
    private readonly replies: ReplyHandler,
    private readonly outbox: OutboxService,
    private readonly handled: HandledMessages,
    private readonly attempts: InboundAttempts,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.process(
      'email-inbound',
      (job) => this.handle(job),
      (job, why) => this.onFailed(job, why.attempts),
    );
  }

  async enqueue(job: InboundMailPayload): Promise<void> {
    await this.jobs.add('email-inbound', job, job.rawFileId);
  }

  /**
   * The sender was told 250, so a message that could not be handled after every attempt is not left
   * silent: the sender hears that it was not processed. The raw message stays in GridFS for inspection.
   */
  private async onFailed(job: InboundMailPayload, attempts: number): Promise<void> {
    const { rawFileId, workspaceId, sender } = job;
    this.log.error(`message ${rawFileId} given up after ${attempts} attempts`);
    await this.attempts
      .forget(rawFileId)
      .catch((e: unknown) => this.log.error(redact(`message ${rawFileId}: ${(e as Error).message}`)));
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

  /**
   * A message whose earlier start never ended runs alone in this process: should it kill the process
   * again, no other message's start dies with it and counts against that message.
   */
  async handle(job: InboundMailPayload): Promise<void> {
    if (await this.handled.wasHandled(job.rawFileId)) {
      // Run again after a crash between the last two steps: only the deletion may be left to do.
      await this.files.delete(job.rawFileId);
      await this.attempts.forget(job.rawFileId);
      return;
    }
    const leave = await this.gate.enter(await this.attempts.wasInterrupted(job.rawFileId));
    try {
      await this.attempt(job);
    } finally {
      leave();
    }
  }

  /**
   * Each start is written down first and taken back when it ends. A start that finds two earlier ones
   * that never ended (their process died, or they ran past the time budget) sets the message aside
   * instead of handling it again; one that fails by an ordinary error is retried as before.
   */
  private async attempt(job: InboundMailPayload): Promise<void> {
    const earlier = await this.attempts.begin(job.workspaceId, job.rawFileId, this.clock.now());
    if (earlier.setAside) return;
    if (earlier.unfinished >= UNFINISHED_STARTS) return this.setAside(job, earlier);
    const run: Run = { abandoned: false };
    const budgetMs = this.config.mail.handlingBudgetMs;
    try {
      await within(budgetMs, this.handleOnce(job, run), `took longer than ${budgetMs / 1000} s`);
    } catch (e) {
      if (e instanceof TimedOut) {
        run.abandoned = true;
        this.log.error(`message ${job.rawFileId} not handled: it ${e.message}`);
        await this.attempts.overran(job.rawFileId);
      } else {
        await this.attempts.failed(job.rawFileId);
      }
      throw e;
    }
    await this.attempts.forget(job.rawFileId);
  }

  /**
   * Everything a message leads to is durable before it is marked handled and its raw copy deleted, the
   * last two steps: a job run again after a crash there finds the mark and has nothing left to do, while
   * a raw copy missing without the mark is a failure the sender hears about.
   */
  private async handleOnce(job: InboundMailPayload, run: Run): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'intake-mail-'));
    try {
      const msg = await this.read(job, dir);
      this.faultPoint(msg);
      const to = parseRecipient(job.recipient, this.config.mail.importDomain);
      if (!msg) await this.answerUnreadable(job);
      else if (to?.kind === 'type') await this.first.handle(job, to.type, msg);
      else if (to?.kind === 'reply') await this.replies.handle(job, to.token, msg);
      // Past its time budget the message belongs to the next start (or is set aside): keep its raw copy.
      if (run.abandoned) return;
      // What the message led to (imports with their own stored files, answers in the outbox) is
      // durable now; the raw copy is no longer needed.
      await this.handled.markHandled(job.workspaceId, job.rawFileId, this.clock.now());
      await this.files.delete(job.rawFileId);
    } catch (e) {
      this.log.error(redact(`message ${job.rawFileId} not handled yet: ${(e as Error).message}`));
      throw e;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * The sender hears once that the message was not processed (the outbox key makes a second answer a
   * no-op); the raw copy stays in GridFS for inspection and the mark keeps the reason.
   */
  private async setAside(job: InboundMailPayload, earlier: EarlierStarts): Promise<void> {
    const reason = setAsideReason(earlier, this.config.mail.handlingBudgetMs);
    this.log.error(`message ${job.rawFileId} set aside: ${reason}`);
    await this.outbox.send(`inbound-set-aside:${job.rawFileId}`, {
      workspaceId: job.workspaceId,
      to: job.sender,
      subject: 'Your message to Intake could not be processed',
      ...setAsideBody(reason, job.rawFileId),
      attachments: [],
    });
    await this.attempts.setAside(job.rawFileId, reason, this.clock.now());
  }

  /** Crash tests only: the process dies at once, as a heap exhaustion would kill it, mid-message. */
  private faultPoint(msg: ReadMessage | null): void {
    const subject = this.config.faults.exitOnMailSubject;
    if (subject && msg?.subject.includes(subject)) process.kill(process.pid, 'SIGKILL');
  }

  /** The message, or null when it is built past the parser's limits (then nothing of it is used). */
  private async read(job: InboundMailPayload, dir: string): Promise<ReadMessage | null> {
    try {
      return await readMessage(this.files.open(job.rawFileId), dir, {
        maxCsv: this.config.mail.maxCsvPerMessage,
        safeName: safeFileName,
      });
    } catch (e) {
      if (!isBeyondParserLimits(e)) throw e;
      this.log.log(`message ${job.rawFileId} not read: ${(e as Error).message}`);
      return null;
    }
  }

  private async answerUnreadable(job: InboundMailPayload): Promise<void> {
    await this.outbox.send(`reply:${job.rawFileId}`, {
      workspaceId: job.workspaceId,
      to: job.sender,
      subject: 'Your message to Intake could not be read',
      ...tooComplexBody(this.config.mail.maxCsvPerMessage),
      attachments: [],
    });
  }
}
