import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Hold } from '../../core/fairness/run-lane';
import { redact } from '../../core/redact';
import { JobQueues } from './job-queues';
import { LazyRedis } from './lazy-redis';
import { GIVE_BACK, JOIN, LEAVE, LOOK, NEXT, OFFER, RENEW, TURN_KEYS, WITHDRAW } from './turn-scripts';

/** A queued import as the turns see it. */
export interface TurnTicket {
  workspaceId: string;
  importId: string;
  /** Imports sharing a lane run one at a time per workspace (see runLane); null runs beside anything. */
  lane: string | null;
}

/** Most imports handed to the queue by one dispatch call; the rest wait for the next one. */
const MAX_PER_DISPATCH = 200;
/** How far down one workspace's line a free slot looks past imports whose lane is busy. */
const LOOK_AHEAD = 20;

/** What the LOOK script answers (1 and 0 for yes and no). */
type Look = [
  inLine: number,
  holding: number,
  running: number,
  laneBusy: number,
  share: number,
  slots: number,
  busySlots: number,
];

/** The numbers behind a queued import's wait (see Hold), read in one go. */
export type TurnHold = Omit<Hold, 'type'>;

/**
 * Whose import runs next. A started import joins its workspace's line; a dispatch hands imports to the
 * run-import queue only while a live worker slot is free and their workspace holds fewer than its share
 * (its limit of running imports, and never every slot while there is more than one), and their update
 * lane is free, serving the least recently served workspace first. So one workspace's big imports never
 * hold another's back, and a handed-out job finds a worker at once. Each worker process offers its slots
 * for a lease it renews; a running import renews its slot's lease. A worker that dies lets both lapse,
 * and the next dispatch (every worker's sweep runs one) counts only the live ones.
 */
@Injectable()
export class ImportTurns implements OnModuleDestroy {
  private readonly log = new Logger(ImportTurns.name);
  private readonly redis: LazyRedis;
  private readonly prefix: string;
  private readonly keys: string[];

  constructor(
    private readonly jobs: JobQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.prefix = `${config.queue.prefix}:turns:`;
    this.keys = TURN_KEYS.map((k) => this.prefix + k);
    this.redis = new LazyRedis(config.redisUrl);
  }

  /** Puts a queued import in its workspace's line (once), then hands out any turns that are free. */
  async join(t: TurnTicket): Promise<void> {
    await this.eval(JOIN, this.prefix, t.workspaceId, t.importId, t.lane ?? '', Date.now());
    await this.dispatch();
  }

  /** Hands free slots to waiting imports, fairly across workspaces. */
  async dispatch(): Promise<void> {
    const { runningPerWorkspace, slotLeaseMs } = this.config.fairness;
    for (let n = 0; n < MAX_PER_DISPATCH; n++) {
      const next = (await this.eval(
        NEXT,
        this.prefix,
        Date.now(),
        slotLeaseMs,
        runningPerWorkspace,
        LOOK_AHEAD,
      )) as [string, string, string] | null;
      if (!next) return;
      const [workspaceId, importId, lane] = next;
      try {
        await this.jobs.add('run-import', { importId, workspaceId, lane: lane || undefined }, importId);
      } catch (e) {
        // First in line again, for the next dispatch (the sweep runs one); if even that fails, the slot
        // lapses with its lease and the sweep lines the import up again.
        this.log.warn(`import ${importId} got its turn but no job: ${redact((e as Error).message)}`);
        await this.eval(GIVE_BACK, this.prefix, workspaceId, importId, lane).catch(() => undefined);
        return;
      }
    }
  }

  /** Keeps a running import's slot for another lease. */
  async renew(t: TurnTicket): Promise<void> {
    const until = Date.now() + this.config.fairness.slotLeaseMs;
    await this.eval(RENEW, this.prefix, t.workspaceId, t.importId, t.lane ?? '', until);
  }

  /** The import no longer runs or waits: its slot (and place in line) go to the next import. */
  async leave(t: TurnTicket): Promise<void> {
    await this.eval(LEAVE, this.prefix, t.workspaceId, t.importId, t.lane ?? '');
    await this.dispatch();
  }

  /**
   * A worker process runs up to `slots` imports at once for another lease; dispatches count them until
   * it lapses. The first offer hands out the turns the new slots make free.
   */
  async offer(worker: string, slots: number, first = false): Promise<void> {
    await this.eval(OFFER, worker, slots, Date.now() + this.config.fairness.slotLeaseMs);
    if (first) await this.dispatch();
  }

  /** A worker process that stops: its slots no longer count. */
  async withdraw(worker: string): Promise<void> {
    await this.eval(WITHDRAW, worker);
  }

  /** True while the import waits in line or holds a live slot. */
  async knows(t: TurnTicket): Promise<boolean> {
    const [inLine, holding] = await this.look(t);
    return inLine === 1 || holding === 1;
  }

  /** What holds a waiting import back; null when it is not waiting in line. */
  async hold(t: TurnTicket): Promise<TurnHold | null> {
    const [inLine, , running, laneBusy, share, slots, busySlots] = await this.look(t);
    if (inLine !== 1) return null;
    const limit = this.config.fairness.runningPerWorkspace;
    return { running, limit, share, laneBusy: laneBusy === 1, slots, busySlots };
  }

  private async look(t: TurnTicket): Promise<Look> {
    const { runningPerWorkspace } = this.config.fairness;
    const args = [t.workspaceId, t.importId, t.lane ?? '', Date.now(), runningPerWorkspace];
    return (await this.eval(LOOK, this.prefix, ...args)) as Look;
  }

  private eval(script: string, ...args: (string | number)[]): Promise<unknown> {
    return this.redis.get().eval(script, this.keys.length, ...this.keys, ...args);
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.close();
  }
}
