import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { CLOCK, Clock } from '../../core/clock';
import { isIntakeError } from '../../core/intake-error';
import { isTerminal } from '../../core/lifecycle/import-lifecycle';
import { ImportService } from '../../engine/imports/import.service';
import { START_MESSAGE, type ImportView } from '../../engine/imports/import-view';
import { ImportAgain } from '../conversation/import-again';
import { ConversationsRepository } from './conversations.repository';
import type { EmailConversation } from './email.schema';
import { replyLinesText } from './mail-next-step';
import { plainBody } from './mail-render';
import { OutboxService } from './outbox.service';
import type { OutgoingMail } from './outgoing-mail';
import type { ReplyCommand } from './reply-command.parser';

/** A reply to a summary is about imports that ended (a finished dry run is still a proposal). */
export function isFollowUp(views: readonly ImportView[]): boolean {
  return (
    views.length > 0 && views.every((v) => isTerminal(v.status) && !(v.status === 'completed' && v.dryRun))
  );
}

const OPTIONS = [
  'To update the records that already existed with the values of this file, reply "duplicates: update".',
  'To undo the import (delete the records it created), reply "undo".',
];

/**
 * Replies to a summary: "duplicates: update" imports the same file again updating what existed, "undo"
 * rolls the import back. The token is consumed only when one of them is done.
 */
@Injectable()
export class FollowUpHandler {
  constructor(
    private readonly imports: ImportService,
    private readonly again: ImportAgain,
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
    if (cmd.problems.length || update === cmd.undo) {
      const lines = ['Nothing was changed: I could not act on your reply.', replyLinesText(cmd).join('\n')];
      await this.outbox.send(key, { ...mail.ask, ...plainBody([...lines, OPTIONS.join('\n')]) });
      return;
    }
    if (!(await this.conversations.consume(conv.workspaceId, conv._id, this.clock.now()))) return;
    const lines = update ? await this.updateAll(conv, views) : await this.undoAll(conv, views);
    await this.outbox.send(key, { ...mail.base, ...plainBody(lines) });
  }

  private async undoAll(conv: EmailConversation, views: readonly ImportView[]): Promise<string[]> {
    const out: string[] = [];
    for (const v of views) {
      try {
        await this.imports.rollback(conv.workspaceId, v.id);
        out.push(`Undoing the import of ${v.fileName}: the records it created are being deleted.`);
      } catch (e) {
        if (!isIntakeError(e)) throw e;
        out.push(`${v.fileName}: ${e.message}`);
      }
    }
    return out;
  }

  private async updateAll(conv: EmailConversation, views: readonly ImportView[]): Promise<string[]> {
    const out: string[] = [];
    for (const v of views) {
      const id = randomBytes(8).toString('hex');
      const origin = {
        sender: conv.sender,
        subject: conv.subject,
        messageId: conv.messageId,
        conversationId: id,
      };
      try {
        await this.again.updatingDuplicates(conv.workspaceId, v.id, origin, {
          beforeStart: (next) => this.openFor(conv, id, next.id),
        });
        out.push(
          `${START_MESSAGE} ${v.fileName} is being imported again, updating the records that already ` +
            'existed with its values; a summary follows.',
        );
      } catch (e) {
        if (!isIntakeError(e)) throw e;
        out.push(`${v.fileName}: ${e.message}`);
      }
    }
    return out;
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
