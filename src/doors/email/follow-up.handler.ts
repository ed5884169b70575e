import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { CLOCK, Clock } from '../../core/clock';
import { isTerminal } from '../../core/lifecycle/import-lifecycle';
import { RetryImport } from '../../engine/use-cases/retry/use-case';
import { UndoImport } from '../../engine/use-cases/undo/use-case';
import { UpdateExisting } from '../../engine/use-cases/update-existing/use-case';
import { START_MESSAGE, type ImportView } from '../../engine/imports/import-view';
import { eachImport } from '../../engine/conversation/each-import';
import { outcomeOf } from '../../engine/conversation/outcome';
import { ConversationsRepository } from './conversations.repository';
import type { EmailConversation } from './email.schema';
import { replyLinesText } from './mail-next-step';
import { plainBody } from './mail-body';
import { replyOffers } from './mail-offers';
import { OutboxService } from './outbox.service';
import type { OutgoingMail } from '../../protocols/mail/outgoing-mail';
import type { ReplyCommand } from './reply-command';

/** A reply to a summary is about imports that ended (a finished dry run is still a proposal). */
export function isFollowUp(views: readonly ImportView[]): boolean {
  return (
    views.length > 0 && views.every((v) => isTerminal(v.status) && !(v.status === 'completed' && v.dryRun))
  );
}

/**
 * Replies to a summary: "duplicates: update" imports the same file again updating what existed, "undo"
 * rolls the import back. The token is consumed only when one of them is done.
 */
@Injectable()
export class FollowUpHandler {
  constructor(
    private readonly undos: UndoImport,
    private readonly retries: RetryImport,
    private readonly updates: UpdateExisting,
    private readonly conversations: ConversationsRepository,
    private readonly outbox: OutboxService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async handle(
    conv: EmailConversation,
    views: readonly ImportView[],
    cmd: ReplyCommand,
    key: string,
    mail: { base: OutgoingMail; ask: OutgoingMail },
  ): Promise<void> {
    const update = cmd.onDuplicate === 'update';
    const asked = [update, cmd.undo, cmd.retry].filter(Boolean).length;
    if (cmd.problems.length || asked !== 1) {
      const options = [...new Set(views.flatMap((v) => replyOffers(v)))];
      const lines = ['Nothing was changed: I could not act on your reply.', replyLinesText(cmd).join('\n')];
      await this.outbox.send(key, { ...mail.ask, ...plainBody([...lines, options.join('\n')]) });
      return;
    }
    if (!(await this.conversations.consume(conv.workspaceId, conv._id, this.clock.now()))) return;
    const lines = update
      ? await this.updateAll(conv, views)
      : cmd.undo
        ? await this.undoAll(conv, views)
        : await this.retryAll(conv, views);
    await this.outbox.send(key, { ...mail.base, ...plainBody(lines) });
  }

  private undoAll(conv: EmailConversation, views: readonly ImportView[]): Promise<string[]> {
    return eachImport(views, async (v) => outcomeOf(await this.undos.execute(actOn(conv, v))).headline);
  }

  private retryAll(conv: EmailConversation, views: readonly ImportView[]): Promise<string[]> {
    return eachImport(views, async (v) => {
      await this.retries.execute(actOn(conv, v));
      return `${v.fileName}: resuming the import after its last written row; a summary follows.`;
    });
  }

  private updateAll(conv: EmailConversation, views: readonly ImportView[]): Promise<string[]> {
    return eachImport(views, async (v) => {
      const id = randomBytes(8).toString('hex');
      const origin = {
        sender: conv.sender,
        subject: conv.subject,
        messageId: conv.messageId,
        conversationId: id,
      };
      await this.updates.execute({ ...actOn(conv, v), origin }, (next) => this.openFor(conv, id, next.id));
      return (
        `${START_MESSAGE} ${v.fileName} is being imported again, updating the records that already ` +
        'existed with its values; a summary follows.'
      );
    });
  }

  /** The new import's summary comes to the same thread. */
  private async openFor(conv: EmailConversation, id: string, importId: string): Promise<void> {
    const now = this.clock.now();
    await this.conversations.create({
      ...conv,
      _id: id,
      importIds: [importId],
      sourceFileId: `again:${importId}`,
      createdAt: now,
      usedAt: now,
    });
  }
}

/** The conversation's sender acts, by reply, on one of its imports. */
function actOn(conv: EmailConversation, v: ImportView) {
  return {
    workspaceId: conv.workspaceId,
    importId: v.id,
    actor: { door: 'email' as const, person: conv.sender },
  };
}
