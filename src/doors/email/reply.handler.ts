import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, Clock } from '../../core/clock';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { isIntakeError } from '../../core/intake-error';
import { CancelImport } from '../../engine/use-cases/cancel/use-case';
import { ChangeMapping } from '../../engine/use-cases/change-mapping/use-case';
import { ChooseSheet } from '../../engine/use-cases/choose-sheet/use-case';
import { ImportQueries } from '../../engine/use-cases/queries/import-queries';
import { StartImport } from '../../engine/use-cases/start/use-case';
import type { ImportView } from '../../engine/imports/import-view';
import { eachImport } from '../../engine/conversation/each-import';
import { readinessOf } from '../../engine/conversation/readiness';
import { ConversationsRepository } from './conversations.repository';
import { normalizeAddress } from '../../protocols/mail/mail-address';
import { replyAddress } from './email-address';
import type { EmailConversation } from './email.schema';
import type { InboundMailPayload } from '../../engine/queue/job-catalogue';
import type { ReadMessage } from '../../protocols/mail/inbound-reader';
import { plainBody } from './mail-body';
import { startedBody } from './mail-outcome';
import { forgottenBody, notUnderstoodBody, stillMissingBody } from './mail-proposal';
import type { RecordType } from '../../core/record-type';
import { forgottenLine } from './mail-learned';
import { LearnedMappings } from '../../engine/workspaces/learned-mappings';
import { FollowUpHandler, isFollowUp } from './follow-up.handler';
import { FollowUpAddress } from './follow-up-address';
import { OutboxService } from './outbox.service';
import { replySubject, threadReferences, type OutgoingMail } from '../../protocols/mail/outgoing-mail';
import { isActionable } from './reply-command';
import { parseReply } from './reply-command.parser';
import { changesFor, Correction } from './reply-corrections';
import { readToken } from '../../protocols/mail/reply-token';
import { visibleReply } from '../../protocols/mail/visible-reply';

/**
 * A reply to import+<token>@: confirm, correct, choose options or cancel. The SMTP session already
 * checked the token's signature (bound to the sender), expiry and single use; the token is consumed
 * only when the imports start, so a reply that cannot be acted on leaves it usable.
 */
@Injectable()
export class ReplyHandler {
  private readonly log = new Logger('EmailReply');

  constructor(
    private readonly queries: ImportQueries,
    private readonly sheets: ChooseSheet,
    private readonly mapping: ChangeMapping,
    private readonly starts: StartImport,
    private readonly cancels: CancelImport,
    private readonly conversations: ConversationsRepository,
    private readonly outbox: OutboxService,
    private readonly followUp: FollowUpHandler,
    private readonly follow: FollowUpAddress,
    private readonly learned: LearnedMappings,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async handle(job: InboundMailPayload, token: string, msg: ReadMessage): Promise<void> {
    const ws = job.workspaceId;
    const conv = await this.conversations.find(readToken(token)?.conversationId ?? '');
    if (!conv || conv.workspaceId !== ws || conv.usedAt) {
      this.log.warn(`reply for conversation ${conv?._id ?? '?'} ignored: missing or already used`);
      return;
    }
    if (normalizeAddress(conv.sender) !== normalizeAddress(job.sender)) {
      // The session checked the token against the From address; this holds even for an old queued job.
      this.log.warn(`reply for conversation ${conv._id} ignored: not from the person it was sent to`);
      return;
    }
    const refs = threadReferences(msg.references, msg.messageId);
    await this.conversations.setThread(ws, conv._id, msg.messageId, refs);
    const base: OutgoingMail = {
      workspaceId: ws,
      to: conv.sender,
      subject: replySubject(msg.subject || conv.subject),
      text: '',
      html: '',
      inReplyTo: msg.messageId,
      references: refs,
      attachments: [],
    };
    const ask = { ...base, replyTo: replyAddress(token, this.config.mail.importDomain) };
    const key = `reply:${job.rawFileId}`;
    let views = await this.views(conv);
    const read = (vs: ImportView[]) =>
      parseReply(visibleReply(msg.text), vs[0]?.type ?? conv.type, [
        ...new Set(vs.flatMap((v) => v.columns.map((c) => c.header))),
      ]);
    let cmd = read(views);
    if (cmd.sheet !== undefined && !cmd.cancel && !cmd.problems.length) {
      const errors = await this.chooseSheet(conv, views, cmd.sheet);
      views = await this.views(conv);
      // Corrections name the columns of the sheet just chosen.
      cmd = read(views);
      if (errors.length) {
        await this.outbox.send(key, { ...ask, ...stillMissingBody(cmd, views, errors) });
        return;
      }
    }

    if (cmd.type !== undefined && !cmd.cancel && !cmd.problems.length && !isFollowUp(views)) {
      const errors = await this.changeType(conv, views, cmd.type, new Date(job.receivedAt));
      views = await this.views(conv);
      // Corrections name the fields of the type just chosen.
      cmd = read(views);
      if (errors.length) {
        await this.outbox.send(key, { ...ask, ...stillMissingBody(cmd, views, errors) });
        return;
      }
    }

    if (isFollowUp(views)) {
      await this.followUp.handle(conv, views, cmd, key, { base, ask });
      return;
    }
    if (!isActionable(cmd)) {
      await this.outbox.send(key, { ...ask, ...notUnderstoodBody(cmd, views) });
      return;
    }
    if (cmd.cancel) {
      await this.cancel(conv, views, key, base);
      return;
    }
    const forgotten = await this.forget(conv, views, cmd.forget ?? []);
    if (forgotten.length && !cmd.confirm && !cmd.dryRun && !cmd.corrections.length) {
      await this.outbox.send(key, { ...ask, ...forgottenBody(cmd, views, forgotten) });
      return;
    }
    // Replies apply in the order they arrived, however late one of them is handled.
    const errors = await this.correct(conv, views, cmd.corrections, new Date(job.receivedAt));
    views = await this.views(conv);
    if (errors.length || !views.every((v) => readinessOf(v).ready)) {
      await this.outbox.send(key, { ...ask, ...stillMissingBody(cmd, views, errors) });
      return;
    }
    if (!(await this.conversations.consume(ws, conv._id, this.clock.now()))) return;
    await this.starts.executeThenTell(
      {
        workspaceId: ws,
        importIds: views.map((v) => v.id),
        actor: senderOf(conv),
        dryRun: cmd.dryRun,
        onDuplicate: cmd.onDuplicate,
        linkCompanies: cmd.linkCompanies,
        byPerson: true,
      },
      async (started, refused) => {
        const failures = refused.map((r) => `${nameOf(views, r.id)}: ${r.error.message}`);
        if (!started.length) {
          await this.outbox.send(key, { ...base, ...plainBody([...failures, ...forgotten]) });
          return;
        }
        // Exactly the start sentence, and yet it can be answered: "cancel" stops what just started.
        const ids = started.map((v) => v.id);
        const replyTo = await this.follow.open(conv, ids, `started:${key}`);
        const body = startedBody(cmd.dryRun);
        if (failures.length || forgotten.length) body.text += `\n${[...failures, ...forgotten].join('\n')}\n`;
        await this.outbox.send(key, { ...base, ...body, replyTo });
      },
    );
  }

  /**
   * "Forget Email": the workspace forgets what it learned for each header, for the conversation's type;
   * the sender is the person the reply token was issued to. Returns one line per header.
   */
  private async forget(conv: EmailConversation, views: ImportView[], headers: string[]): Promise<string[]> {
    const type = views[0]?.type ?? conv.type;
    const lines: string[] = [];
    for (const header of headers) {
      try {
        const gone = await this.learned.forget(conv.workspaceId, type, header, {
          door: 'email',
          by: conv.sender,
        });
        lines.push(forgottenLine(header, gone));
      } catch (e) {
        if (!isIntakeError(e) || e.code !== 'not_found') throw e;
        lines.push(forgottenLine(header, null));
      }
    }
    return lines;
  }

  private views(conv: EmailConversation): Promise<ImportView[]> {
    return Promise.all(conv.importIds.map((id) => this.queries.get(conv.workspaceId, id)));
  }

  /** Reads the named sheet of each workbook awaiting its mapping; returns what could not be done. */
  private async chooseSheet(conv: EmailConversation, views: ImportView[], sheet: string): Promise<string[]> {
    const books = views.filter((v) => v.sheet);
    if (!books.length) return ['None of the files is an Excel workbook, so there is no sheet to choose.'];
    const others = books.filter((v) => v.sheet?.toLowerCase() !== sheet.trim().toLowerCase());
    return eachImport(others, async (v) => void (await this.sheets.execute({ ...actOn(conv, v), sheet })));
  }

  /** Imports every file of the mail as `type` (the mapping is suggested again for it). */
  private async changeType(
    conv: EmailConversation,
    views: ImportView[],
    type: RecordType,
    at: Date,
  ): Promise<string[]> {
    const others = views.filter((v) => v.type !== type);
    return eachImport(
      others,
      async (v) => void (await this.mapping.execute({ ...actOn(conv, v), type, at })),
    );
  }

  /** Applies corrections to each file that has the column; returns what could not be applied. */
  private async correct(
    conv: EmailConversation,
    views: ImportView[],
    fixes: Correction[],
    at: Date,
  ): Promise<string[]> {
    if (!fixes.length) return [];
    const touched = views.filter((v) => Object.keys(changesFor(v, fixes)).length);
    return eachImport(touched, async (v) => {
      await this.mapping.execute({ ...actOn(conv, v), byHeader: changesFor(v, fixes), at });
    });
  }

  private async cancel(conv: EmailConversation, views: ImportView[], key: string, base: OutgoingMail) {
    if (!(await this.conversations.consume(conv.workspaceId, conv._id, this.clock.now()))) return;
    const cancellable = views.filter((v) => v.actions.some((o) => o.kind === 'cancel'));
    const lines = await eachImport(cancellable, async (v) => {
      const done = await this.cancels.execute(actOn(conv, v));
      return done.status === 'cancelling'
        ? `${v.fileName}: stopping after the rows in flight; a summary follows.`
        : null;
    });
    const said = lines.length ? lines : ['Cancelled: nothing was imported.'];
    await this.outbox.send(key, { ...base, ...plainBody(said) });
  }
}

function nameOf(views: readonly ImportView[], id: string): string {
  return views.find((v) => v.id === id)?.fileName ?? id;
}

/** The person the conversation's token was issued to, acting by reply. */
function senderOf(conv: EmailConversation) {
  return { door: 'email' as const, person: conv.sender };
}

function actOn(conv: EmailConversation, v: ImportView) {
  return { workspaceId: conv.workspaceId, importId: v.id, actor: senderOf(conv) };
}
