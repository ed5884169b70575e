import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { isTerminal } from '../../core/lifecycle/import-lifecycle';
import { redact } from '../../core/redact';
import { ImportQueries } from '../../engine/use-cases/queries/import-queries';
import type { ImportView } from '../../engine/imports/import-view';
import { offersFor } from '../../engine/conversation/offers';
import { IMPORT_EVENTS_PORT, ImportEventMessage, ImportEvents } from '../../engine/queue/import-events';
import { estimateRows, progressMessage } from './import.blocks';
import { SlackApi, Thread } from '../../protocols/slack/slack-api';
import { SlackFilesRepository } from './slack-files.repository';

const MAX_FOLLOW_MS = 24 * 3600_000;
/** Imports whose bar was finished lately, so the summary does not edit it a second time. */
const RECENTLY_FINISHED = 500;

interface Followed {
  workspaceId: string;
  view: ImportView;
  thread: Thread;
  ts: string;
  estimate: number | null;
  shown: string;
  lastEditAt: number;
  lastEventAt: number;
  timer?: NodeJS.Timeout;
}

/**
 * Keeps one progress message per import started from Slack, edited from the engine's import events
 * (never by polling), at most once per `SLACK_PROGRESS_MS`. A process that starts picks up the imports
 * still waiting or running whose progress message it finds, so a restart does not freeze the bar.
 * Progress is a courtesy: the summary comes from the durable import notice, which also finishes the bar.
 */
@Injectable()
export class ImportProgress implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('SlackProgress');
  private readonly followed = new Map<string, Followed>();
  private readonly finished = new Set<string>();
  /** Imports whose progress message is being posted, with the ending reported meanwhile, if any. */
  private readonly posting = new Map<string, ImportView | null>();
  private unsubscribe?: () => Promise<void>;
  private stopped = false;

  constructor(
    private readonly slack: SlackApi,
    private readonly imports: ImportQueries,
    private readonly files: SlackFilesRepository,
    @Inject(IMPORT_EVENTS_PORT) private readonly events: ImportEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Follows import events, and resumes the imports a stopped process was following; never throws. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      this.unsubscribe = await this.events.subscribe(
        (e) => this.onEvent(e),
        () => void this.reread(),
      );
      for (const file of await this.files.withProgress(new Date(Date.now() - MAX_FOLLOW_MS))) {
        const view = await this.imports.get(file.workspaceId, file.importId!).catch(() => null);
        if (!view || isTerminal(view.status)) continue;
        const thread = { channel: file.channel, threadTs: file.threadTs };
        this.track(file.workspaceId, view, thread, file.progressTs!, '');
      }
    } catch (e) {
      this.log.warn(`could not resume progress messages: ${redact((e as Error).message)}`);
    }
  }

  /**
   * Posts the progress message of a run and starts following it; never throws. A run already followed
   * keeps its one message. Events and the ending that came while posting are caught up right after.
   */
  async follow(workspaceId: string, view: ImportView, thread: Thread): Promise<void> {
    const current = this.followed.get(view.id);
    if (this.posting.has(view.id) || (current && !isTerminal(current.view.status))) return;
    this.posting.set(view.id, null);
    this.finished.delete(view.id);
    try {
      const first = progressMessage(view, estimateRows(view));
      const ts = await this.slack.tryPost(thread, first, 'the progress message');
      if (!ts) return;
      await this.files.setProgressTs(workspaceId, view.id, ts).catch(() => undefined);
      const f = this.track(workspaceId, view, thread, ts, first.text);
      const latest =
        this.posting.get(view.id) ?? (await this.imports.get(workspaceId, view.id).catch(() => null));
      // A late word about the dry run before it must not end its run for real's bar.
      const sameRun = latest && latest.dryRun === view.dryRun;
      if (sameRun && this.followed.get(view.id) === f && !isTerminal(f.view.status)) {
        f.view = latest;
        this.schedule(f);
      }
    } finally {
      this.posting.delete(view.id);
    }
  }

  /**
   * Shows how the import ended, now or as soon as the pace allows, and stops following it. False when
   * this process does not follow the import (then the caller edits the message itself).
   */
  finish(view: ImportView): boolean {
    if (this.posting.has(view.id)) {
      this.posting.set(view.id, view);
      return true;
    }
    const f = this.followed.get(view.id);
    if (!f) return this.finished.has(view.id);
    f.view = view;
    this.schedule(f);
    return true;
  }

  private track(workspaceId: string, view: ImportView, thread: Thread, ts: string, shown: string): Followed {
    const f: Followed = {
      workspaceId,
      view,
      thread,
      ts,
      estimate: estimateRows(view),
      shown,
      lastEditAt: shown ? Date.now() : 0,
      lastEventAt: 0,
    };
    this.followed.set(view.id, f);
    setTimeout(() => this.forget(f), MAX_FOLLOW_MS).unref();
    return f;
  }

  /** Stops following `f`, but never a later run of the same import that follows it under the same id. */
  private forget(f: Followed): boolean {
    if (this.followed.get(f.view.id) !== f) return false;
    this.followed.delete(f.view.id);
    return true;
  }

  private onEvent(e: ImportEventMessage): void {
    const f = this.followed.get(e.importId);
    if (!f || e.at < f.lastEventAt || isTerminal(f.view.status)) return; // said before, or ended
    f.lastEventAt = e.at;
    const view = { ...f.view, status: e.status, counts: e.counts, committedRow: e.committedRow };
    // What may be done follows the new state (a running import can no longer be cancelled once ended).
    f.view = { ...view, actions: offersFor(view) };
    this.schedule(f);
  }

  /** After a (re)connection to the events, reads each followed import once: events may have been missed. */
  private async reread(): Promise<void> {
    for (const f of this.followed.values()) {
      const view = await this.imports.get(f.workspaceId, f.view.id).catch(() => null);
      if (!view) continue;
      f.view = view;
      this.schedule(f);
    }
  }

  /** One edit now, or at the end of the current SLACK_PROGRESS_MS window (the latest state then). */
  private schedule(f: Followed): void {
    if (this.stopped || f.timer) return;
    const wait = Math.max(0, f.lastEditAt + this.config.slack.progressMs - Date.now());
    f.timer = setTimeout(() => {
      f.timer = undefined;
      this.edit(f).catch((e: unknown) => this.log.warn(`progress: ${redact((e as Error).message)}`));
    }, wait);
  }

  private async edit(f: Followed): Promise<void> {
    if (this.stopped) return;
    const msg = progressMessage(f.view, f.estimate);
    // A dry run's last edit may come after "Run it for real" began following the same import anew.
    if (isTerminal(f.view.status) && this.forget(f)) {
      this.finished.add(f.view.id);
      if (this.finished.size > RECENTLY_FINISHED) this.finished.delete(this.finished.values().next().value!);
    }
    if (msg.text === f.shown) return;
    f.shown = msg.text;
    f.lastEditAt = Date.now();
    await this.slack.tryUpdate(f.thread.channel, f.ts, msg, 'the progress message');
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const f of this.followed.values()) clearTimeout(f.timer);
    this.followed.clear();
    await this.unsubscribe?.();
  }
}
