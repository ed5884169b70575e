/*
 * The Lua scripts behind ImportTurns. Every change to the line is one script, so it is atomic across
 * any number of API and worker processes.
 *
 * Redis keys under `<prefix>:turns:`
 *   ready            zset  workspaces with imports waiting; score = when the workspace was last served
 *   served           hash  workspace → when it was last served (kept while its line is empty)
 *   wait:<ws>        list  the workspace's waiting imports, first in first out: "<importId>[ <lane>]"
 *   run:<ws>         zset  imports holding a slot; score = when the lease lapses
 *   lanes:<ws>       hash  lane → the import holding it (it holds it while it holds a slot)
 *   running          zset  every import holding a slot, of any workspace; score = when the lease lapses
 *   workers          zset  live worker processes; score = when the process's lease lapses
 *   slots            hash  worker process → how many imports it runs at once
 * Every script is handed `running`, `workers` and `slots` as KEYS[1], KEYS[2] and KEYS[3] (TURN_KEYS).
 * The per-workspace keys are built inside the scripts, which is fine on one Redis (the queue itself
 * needs one Redis too).
 */

/** The keys every script is handed, in this order, after `<prefix>:turns:`. */
export const TURN_KEYS = ['running', 'workers', 'slots'] as const;

const LINE = `
local function entry(id, lane) if lane == '' then return id end return id .. ' ' .. lane end
local function holds(run, id, now)
  local s = redis.call('zscore', run, id)
  return s and tonumber(s) > now
end
local function liveSlots(workers, slots, now)
  local total = 0
  for _, w in ipairs(redis.call('zrangebyscore', workers, '(' .. now, '+inf')) do
    total = total + (tonumber(redis.call('hget', slots, w)) or 0)
  end
  return total
end
-- Frees the slot (and lane) an import held, in its workspace and among every running import.
local function freeSlot(p, ws, id, lane)
  redis.call('zrem', p .. 'run:' .. ws, id)
  redis.call('zrem', KEYS[1], id)
  local lanes = p .. 'lanes:' .. ws
  if lane ~= '' and redis.call('hget', lanes, lane) == id then redis.call('hdel', lanes, lane) end
end
-- The most slots one workspace may hold: its limit, and never every slot while there is more than one,
-- so another workspace's import always finds one free (a single slot cannot be shared).
local function share(limit, capacity)
  if capacity > 1 then return math.min(limit, capacity - 1) end
  return math.min(limit, 1)
end
`;

/** ARGV: prefix, workspace, importId, lane, now. 1 when it joined the line, 0 when it was there or running. */
export const JOIN = `${LINE}
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
 * ARGV: prefix, now, leaseMs, perWorkspace, lookAhead. Gives the next
 * turn while a live worker slot is free: the least recently served workspace holding fewer than its
 * share, its first waiting import whose lane is free. {workspace, importId, lane} or nil.
 */
export const NEXT = `${LINE}
local running, workers, slots = KEYS[1], KEYS[2], KEYS[3]
local p, now, lease, limit, depth = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
for _, w in ipairs(redis.call('zrangebyscore', workers, '-inf', now)) do redis.call('hdel', slots, w) end
redis.call('zremrangebyscore', workers, '-inf', now)
redis.call('zremrangebyscore', running, '-inf', now)
local capacity = liveSlots(workers, slots, now)
if redis.call('zcard', running) >= capacity then return nil end
local most = share(limit, capacity)
for _, ws in ipairs(redis.call('zrange', p .. 'ready', 0, -1)) do
  local run, lanes, wait = p .. 'run:' .. ws, p .. 'lanes:' .. ws, p .. 'wait:' .. ws
  redis.call('zremrangebyscore', run, '-inf', now)
  if redis.call('zcard', run) < most then
    for _, e in ipairs(redis.call('lrange', wait, 0, depth - 1)) do
      local sep = string.find(e, ' ', 1, true)
      local id, lane = e, ''
      if sep then id, lane = string.sub(e, 1, sep - 1), string.sub(e, sep + 1) end
      local holder = lane ~= '' and redis.call('hget', lanes, lane)
      if not (holder and holds(run, holder, now)) then
        redis.call('lrem', wait, 1, e)
        redis.call('zadd', run, now + lease, id)
        redis.call('zadd', running, now + lease, id)
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
export const RENEW = `
local p, ws, id, lane, untilMs = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
redis.call('zadd', p .. 'run:' .. ws, untilMs, id)
redis.call('zadd', KEYS[1], untilMs, id)
if lane ~= '' then redis.call('hset', p .. 'lanes:' .. ws, lane, id) end
return 1
`;

/** ARGV: prefix, workspace, importId, lane. Frees the slot (and lane) the import held, and its place in line. */
export const LEAVE = `${LINE}
local p, ws, id, lane = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
freeSlot(p, ws, id, lane)
redis.call('lrem', p .. 'wait:' .. ws, 0, entry(id, lane))
return 1
`;

/** ARGV: prefix, workspace, importId, lane. A turn that got no job: back to the head of its line. */
export const GIVE_BACK = `${LINE}
local p, ws, id, lane = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
freeSlot(p, ws, id, lane)
local wait = p .. 'wait:' .. ws
if not redis.call('lpos', wait, entry(id, lane)) then redis.call('lpush', wait, entry(id, lane)) end
redis.call('zadd', p .. 'ready', 0, ws)
return 1
`;

/**
 * ARGV: prefix, workspace, importId, lane, now, perWorkspace.
 * {inLine, holding, running, laneBusy, share, slots, busySlots}: running is the workspace's imports
 * holding a slot, share the most it may hold now, slots the live worker slots, busySlots those held.
 */
export const LOOK = `${LINE}
local running, workers, slots = KEYS[1], KEYS[2], KEYS[3]
local p, ws, id, lane, now, limit = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local run = p .. 'run:' .. ws
local inLine = redis.call('lpos', p .. 'wait:' .. ws, entry(id, lane)) and 1 or 0
local holder = lane ~= '' and redis.call('hget', p .. 'lanes:' .. ws, lane)
local busy = (holder and holder ~= id and holds(run, holder, now)) and 1 or 0
local capacity = liveSlots(workers, slots, now)
return {inLine, holds(run, id, now) and 1 or 0, redis.call('zcount', run, '(' .. now, '+inf'), busy,
  share(limit, capacity), capacity, redis.call('zcount', running, '(' .. now, '+inf')}
`;

/** ARGV: worker, slots, until. A worker process offers its slots (again) for a lease. */
export const OFFER = `
redis.call('hset', KEYS[3], ARGV[1], ARGV[2])
redis.call('zadd', KEYS[2], ARGV[3], ARGV[1])
return 1
`;

/** ARGV: worker. A worker process that stops takes its slots away. */
export const WITHDRAW = `
redis.call('zrem', KEYS[2], ARGV[1])
redis.call('hdel', KEYS[3], ARGV[1])
return 1
`;
