import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { redact } from '../../core/redact';
import { isTerminal } from '../../engine/imports/import.schema';
import { ImportService } from '../../engine/imports/import.service';
import type { ImportView } from '../../engine/imports/import-view';
import { estimateRows, progressMessage } from './import.blocks';
import { SlackApi, Thread } from './slack-api';
import { SlackFilesRepository } from './slack-files.repository';

const MAX_FOLLOW_MS = 24 * 3600_000;

/**
 * Follows an import started from Slack and edits one progress message, at most once per
 * `SLACK_PROGRESS_MS`. A process that starts picks up the imports still queued or running whose
 * progress message it finds, so a restart does not freeze the bar. Progress is a courtesy: the summary
 * comes from the import notice, so a failing edit never loses the outcome.
 */
@Injectable()
export class ImportProgress implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('SlackProgress');
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly slack: SlackApi,
    private readonly imports: ImportService,
    private readonly files: SlackFilesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Resumes following the imports a stopped process was following; never throws. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      for (const file of await this.files.withProgress(new Date(Date.now() - MAX_FOLLOW_MS))) {
        const view = await this.imports.get(file.workspaceId, file.importId!).catch(() => null);
        if (!view || (view.status !== 'queued' && view.status !== 'running')) continue;
        const thread = { channel: file.channel, threadTs: file.threadTs };
        this.track(file.workspaceId, view, thread, file.progressTs!, '');
      }
    } catch (e) {
      this.log.warn(`could not resume progress messages: ${redact((e as Error).message)}`);
    }
  }

  /** Posts the progress message and starts following; never throws. */
  async follow(workspaceId: string, view: ImportView, thread: Thread): Promise<void> {
    const first = progressMessage(view, estimateRows(view));
    const ts = await this.slack.tryPost(thread, first, 'the progress message');
    if (!ts) return;
    await this.files.setProgressTs(workspaceId, view.id, ts).catch(() => undefined);
    this.track(workspaceId, view, thread, ts, first.text);
  }

  /** Edits the message `ts` as the import moves on, until it ends. */
  private track(workspaceId: string, view: ImportView, thread: Thread, ts: string, shown: string): void {
    const estimate = estimateRows(view);
    const started = Date.now();
    let last = shown;
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
