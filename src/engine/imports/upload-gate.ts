import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import {
  awaitingMappingFull,
  processUploadsBusy,
  roomLeft,
  StorageQuota,
  storageFull,
  storageRefusal,
  workspaceUploadsBusy,
} from '../../core/fairness/upload-quota';
import { IntakeError } from '../../core/intake-error';
import { redact } from '../../core/redact';
import { LazyRedis } from '../queue/lazy-redis';
import { RecordLocks } from '../queue/record-locks';
import { ImportsRepository } from './imports.repository';

/**
 * An admitted upload: it holds a place among the workspace's uploads in flight (until `release`) and
 * among its imports waiting for a mapping (until its import exists: `created`, or `release`).
 */
export interface UploadPass {
  /** The most bytes the file may have: the file size limit, or less when the storage quota is near. */
  readonly maxBytes: number;
  /** The refusal past `maxBytes` when the storage quota set it (else the file size limit's own). */
  readonly overLimit?: () => IntakeError;
  /** Its import is stored: from now on the import itself counts against the waiting quota. */
  created(): Promise<void>;
  /** The upload is stored or given up: its place in flight is free. Idempotent. */
  release(): Promise<void>;
}

/*
 * Redis keys under `<prefix>:uploads:`, zsets whose score is when the entry's lease lapses (renewed
 * while its process holds it, so a process that dies frees its places by itself):
 *   flight:<ws>    uploads of the workspace being received or stored
 *   pending:<ws>   uploads whose import does not exist yet, counted with the imports waiting for a mapping
 */

/** ARGV: now. Drops lapsed entries; returns {in flight, pending}. */
const COUNT = `
local now = tonumber(ARGV[1])
redis.call('zremrangebyscore', KEYS[1], '-inf', now)
redis.call('zremrangebyscore', KEYS[2], '-inf', now)
return {redis.call('zcard', KEYS[1]), redis.call('zcard', KEYS[2])}
`;

/** ARGV: lapses, member, keepMs. Adds the upload to both sets. */
const TAKE = `
redis.call('zadd', KEYS[1], ARGV[1], ARGV[2])
redis.call('zadd', KEYS[2], ARGV[1], ARGV[2])
redis.call('pexpire', KEYS[1], ARGV[3])
redis.call('pexpire', KEYS[2], ARGV[3])
return 1
`;

interface Held {
  keys: string[];
}

/**
 * Admits an upload before a byte of it is received: a place in this process, a place among the
 * workspace's uploads in flight, room in its storage quota, and a place among its imports waiting for
 * a mapping. The last is exact across API processes: under a per-workspace lock, the uploads not yet
 * turned into imports are read before the imports waiting (an upload leaves the first only once it is
 * in the second), so racing uploads can never together pass the quota.
 */
@Injectable()
export class UploadGate implements OnModuleDestroy {
  private readonly log = new Logger(UploadGate.name);
  private readonly redis: LazyRedis;
  private readonly prefix: string;
  private readonly held = new Map<string, Held>();
  private inProcess = 0;
  private renewal?: NodeJS.Timeout;

  constructor(
    private readonly imports: ImportsRepository,
    private readonly locks: RecordLocks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.redis = new LazyRedis(config.redisUrl);
    this.prefix = `${config.queue.prefix}:uploads:`;
  }

  /**
   * Takes the upload's places, or refuses it with the sentence every door shows. A door whose file is
   * already on local disk and nobody waits on (an email's attachment) may wait up to `waitMs` for a
   * place in flight instead: a message's ten CSVs then queue behind each other rather than the fifth
   * being refused while the first four are still being stored.
   */
  async admit(workspaceId: string, waitMs = 0): Promise<UploadPass> {
    const until = Date.now() + waitMs;
    for (let pause = 50; ; pause = Math.min(2 * pause, 1000)) {
      try {
        return await this.admitNow(workspaceId);
      } catch (e) {
        if (!(e instanceof IntakeError) || e.code !== 'too_many_uploads' || Date.now() + pause > until)
          throw e;
      }
      await new Promise((r) => setTimeout(r, pause));
    }
  }

  private async admitNow(workspaceId: string): Promise<UploadPass> {
    const limits = this.config.fairness;
    if (this.inProcess >= limits.uploadsInFlightPerProcess)
      throw processUploadsBusy(limits.uploadsInFlightPerProcess);
    this.inProcess++;
    try {
      const quota = this.storageQuota();
      const use = await this.imports.storageUse(workspaceId);
      const full = storageRefusal(use, quota);
      if (full) throw full;
      const member = await this.reserve(workspaceId);
      const room = roomLeft(use, quota);
      const pass = this.pass(workspaceId, member, Math.min(this.config.limits.maxFileBytes, room));
      return room < this.config.limits.maxFileBytes ? { ...pass, overLimit: () => storageFull(quota) } : pass;
    } catch (e) {
      this.inProcess--;
      throw e;
    }
  }

  onModuleDestroy(): void {
    if (this.renewal) clearInterval(this.renewal);
    void this.redis.close();
  }

  private storageQuota(): StorageQuota {
    return {
      bytes: this.config.fairness.storageQuotaBytes,
      reportRows: this.config.fairness.reportRowsQuota,
      retentionDays: this.config.retention.fileDays,
    };
  }

  /** The upload's entry in both sets; null when Redis is away (then only this process's count holds). */
  private async reserve(workspaceId: string): Promise<string | null> {
    const [flight, pending] = this.keys(workspaceId);
    const member = randomBytes(9).toString('base64url');
    const limits = this.config.fairness;
    return this.locks.run(`uploads:${workspaceId}`, async () => {
      const counted = await this.count(flight, pending);
      if (counted && counted.flight >= limits.uploadsInFlightPerWorkspace)
        throw workspaceUploadsBusy(limits.uploadsInFlightPerWorkspace);
      const waiting = await this.imports.countInStatus(workspaceId, 'awaiting_mapping');
      if (waiting + (counted?.pending ?? 0) >= limits.awaitingMappingPerWorkspace)
        throw awaitingMappingFull(limits.awaitingMappingPerWorkspace);
      if (!counted) return null;
      const lapses = Date.now() + limits.slotLeaseMs;
      await this.redis.get().eval(TAKE, 2, flight, pending, lapses, member, 4 * limits.slotLeaseMs);
      return member;
    });
  }

  /** How many uploads are in flight and pending; null when Redis does not answer. */
  private async count(flight: string, pending: string): Promise<{ flight: number; pending: number } | null> {
    try {
      const [f, p] = (await this.redis.get().eval(COUNT, 2, flight, pending, Date.now())) as number[];
      return { flight: f ?? 0, pending: p ?? 0 };
    } catch (e) {
      this.log.warn(`uploads are counted in this process only: ${redact((e as Error).message)}`);
      return null;
    }
  }

  private pass(workspaceId: string, member: string | null, maxBytes: number): UploadPass {
    const [flight, pending] = this.keys(workspaceId);
    if (member) this.hold(member, [flight, pending]);
    let created = false;
    let released = false;
    return {
      maxBytes,
      created: async () => {
        if (created || released) return;
        created = true;
        await this.drop(member, pending);
      },
      release: async () => {
        if (released) return;
        released = true;
        this.inProcess--;
        if (!created) await this.drop(member, pending);
        await this.drop(member, flight);
      },
    };
  }

  /** Takes the upload out of one set (its lease would lapse by itself if Redis does not answer). */
  private async drop(member: string | null, key: string): Promise<void> {
    if (!member) return;
    const entry = this.held.get(member);
    if (entry) entry.keys = entry.keys.filter((k) => k !== key);
    if (entry && !entry.keys.length) this.held.delete(member);
    await this.redis
      .get()
      .zrem(key, member)
      .catch(() => undefined);
  }

  /** Keeps the entry's leases fresh while this process holds it. */
  private hold(member: string, keys: string[]): void {
    this.held.set(member, { keys });
    if (this.renewal) return;
    const every = Math.max(250, Math.floor(this.config.fairness.slotLeaseMs / 3));
    this.renewal = setInterval(() => void this.renew(), every);
    this.renewal.unref();
  }

  private async renew(): Promise<void> {
    const lease = this.config.fairness.slotLeaseMs;
    const redis = this.redis.get();
    for (const [member, { keys }] of this.held)
      for (const key of keys)
        await redis
          .multi()
          .zadd(key, 'XX', Date.now() + lease, member)
          .pexpire(key, 4 * lease)
          .exec()
          .catch(() => undefined);
  }

  private keys(workspaceId: string): [string, string] {
    return [`${this.prefix}flight:${workspaceId}`, `${this.prefix}pending:${workspaceId}`];
  }
}
