import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Hold } from '../../core/fairness/run-lane';
import { redact } from '../../core/redact';
import { JobQueues } from './job-queues';
import { LazyRedis } from './lazy-redis';

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

/*
 * Redis keys under `<prefix>:turns:`
 *   ready            zset  workspaces with imports waiting; score = when the workspace was last served
 *   served           hash  workspace → when it was last served (kept while its line is empty)
 *   wait:<ws>        list  the workspace's waiting imports, first in first out: "<importId>[ <lane>]"
 *   run:<ws>         zset  imports holding a slot; score = when the lease lapses
 *   lanes:<ws>       hash  lane → the import holding it (it holds it while it holds a slot)
 * Every change is one Lua script, so it is atomic across processes. The per-workspace keys are built
 * inside the scripts, which is fine on one Redis (the queue itself needs one Redis too).
 */
const LINE = `
local function entry(id, lane) if lane == '' then return id end return id .. ' ' .. lane end
local function holds(run, id, now)
  local s = redis.call('zscore', run, id)
  return s and tonumber(s) > now
end
`;

/** ARGV: prefix, workspace, importId, lane, now. 1 when it joined the line, 0 when it was there or running. */
const JOIN = `${LINE}
local p, ws, id, lane, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local wait = p .. 'wait:' .. ws
if holds(p .. 'run:' .. ws, id, now) then return 0 end
if redis.call('lpos', wait, entry(id, lane)) then return 0 end
redis.call('rpush', wait, entry(id, lane))
local served = redis.call('hget', p .. 'served', ws) or '0'
redis.call('zadd', p .. 'ready', 'NX', served, ws)
return 1
`;

/**
 * ARGV: prefix, now, leaseMs, perWorkspace, lookAhead. Gives the next turn: the least recently served
 * workspace with a free slot, its first waiting import whose lane is free. {workspace, importId, lane}
 * or nil.
 */
const NEXT = `${LINE}
local p, now, lease, limit, depth = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
for _, ws in ipairs(redis.call('zrange', p .. 'ready', 0, -1)) do
  local run, lanes, wait = p .. 'run:' .. ws, p .. 'lanes:' .. ws, p .. 'wait:' .. ws
  redis.call('zremrangebyscore', run, '-inf', now)
  if redis.call('zcard', run) < limit then
    for _, e in ipairs(redis.call('lrange', wait, 0, depth - 1)) do
      local sep = string.find(e, ' ', 1, true)
      local id, lane = e, ''
      if sep then id, lane = string.sub(e, 1, sep - 1), string.sub(e, sep + 1) end
      local holder = lane ~= '' and redis.call('hget', lanes, lane)
      if not (holder and holds(run, holder, now)) then
        redis.call('lrem', wait, 1, e)
        redis.call('zadd', run, now + lease, id)
        if lane ~= '' then redis.call('hset', lanes, lane, id) end
        redis.call('hset', p .. 'served', ws, now)
        if redis.call('llen', wait) == 0 then redis.call('zrem', p .. 'ready', ws)
        else redis.call('zadd', p .. 'ready', now, ws) end
        return {ws, id, lane}
      end
    end
  end
  if redis.call('llen', wait) == 0 then redis.call('zrem', p .. 'ready', ws) end
end
return nil
`;

/** ARGV: prefix, workspace, importId, lane, until. The running import keeps (or takes back) its slot. */
const RENEW = `
local p, ws, id, lane, untilMs = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
redis.call('zadd', p .. 'run:' .. ws, untilMs, id)
if lane ~= '' then redis.call('hset', p .. 'lanes:' .. ws, lane, id) end
return 1
`;

/** ARGV: prefix, workspace, importId, lane. Frees the slot (and lane) the import held, and its place in line. */
const LEAVE = `${LINE}
local p, ws, id, lane = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
redis.call('zrem', p .. 'run:' .. ws, id)
local lanes = p .. 'lanes:' .. ws
if lane ~= '' and redis.call('hget', lanes, lane) == id then redis.call('hdel', lanes, lane) end
redis.call('lrem', p .. 'wait:' .. ws, 0, entry(id, lane))
return 1
`;

/** ARGV: prefix, workspace, importId, lane. A turn that got no job: back to the head of its line. */
const GIVE_BACK = `${LINE}
local p, ws, id, lane = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
redis.call('zrem', p .. 'run:' .. ws, id)
local lanes = p .. 'lanes:' .. ws
if lane ~= '' and redis.call('hget', lanes, lane) == id then redis.call('hdel', lanes, lane) end
local wait = p .. 'wait:' .. ws
if not redis.call('lpos', wait, entry(id, lane)) then redis.call('lpush', wait, entry(id, lane)) end
redis.call('zadd', p .. 'ready', 0, ws)
return 1
`;

/** ARGV: prefix, workspace, importId, lane, now. {inLine, holding, running, laneBusy}. */
const LOOK = `${LINE}
local p, ws, id, lane, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local run = p .. 'run:' .. ws
local inLine = redis.call('lpos', p .. 'wait:' .. ws, entry(id, lane)) and 1 or 0
local holder = lane ~= '' and redis.call('hget', p .. 'lanes:' .. ws, lane)
local busy = (holder and holder ~= id and holds(run, holder, now)) and 1 or 0
return {inLine, holds(run, id, now) and 1 or 0, redis.call('zcount', run, '(' .. now, '+inf'), busy}
`;

/**
 * Whose import runs next. A started import joins its workspace's line; a dispatch hands imports to the
 * run-import queue only while their workspace holds fewer than its limit of running imports (and its
 * update lane is free), serving the least recently served workspace first, so one workspace's ten big
 * imports never hold another's back. A running import renews its slot's lease; a worker that dies lets
 * its slot lapse, and the next dispatch (the worker's sweep runs one) gives it to the next import.
 */
@Injectable()
export class ImportTurns implements OnModuleDestroy {
  private readonly log = new Logger(ImportTurns.name);
  private readonly redis: LazyRedis;
  private readonly prefix: string;

  constructor(
    private readonly jobs: JobQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.prefix = `${config.queue.prefix}:turns:`;
    this.redis = new LazyRedis(config.redisUrl);
  }

  /** Puts a queued import in its workspace's line (once), then hands out any turns that are free. */
  async join(t: TurnTicket): Promise<void> {
    await this.eval(JOIN, t.workspaceId, t.importId, t.lane ?? '', Date.now());
    await this.dispatch();
  }

  /** Hands free slots to waiting imports, fairly across workspaces. */
  async dispatch(): Promise<void> {
    const { runningPerWorkspace, slotLeaseMs } = this.config.fairness;
    for (let n = 0; n < MAX_PER_DISPATCH; n++) {
      const next = (await this.eval(NEXT, Date.now(), slotLeaseMs, runningPerWorkspace, LOOK_AHEAD)) as
        [string, string, string] | null;
      if (!next) return;
      const [workspaceId, importId, lane] = next;
      try {
        await this.jobs.add('run-import', { importId, workspaceId, lane: lane || undefined }, importId);
      } catch (e) {
        // First in line again, for the next dispatch (the sweep runs one); if even that fails, the slot
        // lapses with its lease and the sweep lines the import up again.
        this.log.warn(`import ${importId} got its turn but no job: ${redact((e as Error).message)}`);
        await this.eval(GIVE_BACK, workspaceId, importId, lane).catch(() => undefined);
        return;
      }
    }
  }

  /** Keeps a running import's slot for another lease. */
  async renew(t: TurnTicket): Promise<void> {
    await this.eval(
      RENEW,
      t.workspaceId,
      t.importId,
      t.lane ?? '',
      Date.now() + this.config.fairness.slotLeaseMs,
    );
  }

  /** The import no longer runs or waits: its slot (and place in line) go to the next import. */
  async leave(t: TurnTicket): Promise<void> {
    await this.eval(LEAVE, t.workspaceId, t.importId, t.lane ?? '');
    await this.dispatch();
  }

  /** True while the import waits in line or holds a live slot. */
  async knows(t: TurnTicket): Promise<boolean> {
    const [inLine, holding] = await this.look(t);
    return inLine === 1 || holding === 1;
  }

  /** What holds a waiting import back; null when it is not waiting in line. */
  async hold(t: TurnTicket): Promise<Omit<Hold, 'type'> | null> {
    const [inLine, , running, laneBusy] = await this.look(t);
    if (inLine !== 1) return null;
    return { running, limit: this.config.fairness.runningPerWorkspace, laneBusy: laneBusy === 1 };
  }

  private async look(t: TurnTicket): Promise<[number, number, number, number]> {
    return (await this.eval(LOOK, t.workspaceId, t.importId, t.lane ?? '', Date.now())) as [
      number,
      number,
      number,
      number,
    ];
  }

  private eval(script: string, ...args: (string | number)[]): Promise<unknown> {
    return this.redis.get().eval(script, 0, this.prefix, ...args);
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.close();
  }
}
