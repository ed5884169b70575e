import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { redact } from '../common/redact';
import { isTerminal } from '../imports/import.schema';
import { ImportService } from '../imports/import.service';
import type { ImportView } from '../imports/import-view';
import { estimateRows, progressMessage } from './import.blocks';
import { SlackApi, Thread } from './slack-api';
import { SlackFilesRepository } from './slack-files.repository';

const MAX_FOLLOW_MS = 24 * 3600_000;

/**
 * Follows an import started from Slack in this process and edits one progress message, at most once
 * per `SLACK_PROGRESS_MS`. Progress is a courtesy: the summary comes from the import notice, so a
 * restart or a failing edit only loses progress edits, never the outcome.
 */
@Injectable()
export class ImportProgress implements OnModuleDestroy {
  private readonly log = new Logger('SlackProgress');
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly slack: SlackApi,
    private readonly imports: ImportService,
    private readonly files: SlackFilesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Posts the progress message and starts following; never throws. */
  async follow(workspaceId: string, view: ImportView, thread: Thread): Promise<void> {
    const estimate = estimateRows(view);
    const first = progressMessage(view, estimate);
    const ts = await this.slack.tryPost(thread, first, 'the progress message');
    if (!ts) return;
    await this.files.setProgressTs(workspaceId, view.id, ts).catch(() => undefined);
    const started = Date.now();
    let last = first.text;
    const tick = async (): Promise<void> => {
      if (this.stopped) return;
      let current: ImportView;
      try {
        current = await this.imports.get(workspaceId, view.id);
      } catch (e) {
        this.log.warn(`stopped following import ${view.id}: ${redact((e as Error).message)}`);
        return;
      }
      const msg = progressMessage(current, estimate);
      if (msg.text !== last) {
        last = msg.text;
        await this.slack.tryUpdate(thread.channel, ts, msg, 'the progress message');
      }
      if (!isTerminal(current.status) && Date.now() - started < MAX_FOLLOW_MS) this.schedule(tick);
    };
    this.schedule(tick);
  }

  private schedule(tick: () => Promise<void>): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      tick().catch((e: unknown) => this.log.warn(`progress: ${redact((e as Error).message)}`));
    }, this.config.slack.progressMs);
    this.timers.add(timer);
  }

  onModuleDestroy(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
