import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { LazyRedis } from './lazy-redis';

/**
 * Longest a holder may keep a lock: every guarded write is one database round trip. Short, because a
 * worker killed while holding one leaves it to expire, and the next worker waits for that.
 */
const HOLD_MS = 4000;
/** Longest a writer waits for a lock before it gives up with an error. */
const WAIT_MS = 20_000;
/** How long an exclusive holder that stopped renewing (killed) keeps its key. */
const LONG_HOLD_MS = 30_000;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Short mutual exclusion per document, across every process that shares Redis. MongoDB applies a
 * conditional update atomically, which is all Intake's state changes need; FerretDB 1.x does not
 * (measured: twelve concurrent findOneAndUpdate on one document's version let up to three win, and a
 * whole-document write can undo a field another writer just set). The writes that decide an import's
 * fate are therefore also serialized here, so they hold on both.
 */
@Injectable()
export class RecordLocks implements OnModuleDestroy {
  private readonly redis: LazyRedis;
  private readonly prefix: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.prefix = `${config.queue.prefix}:lock:`;
    this.redis = new LazyRedis(config.redisUrl);
  }

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const redis = this.redis.get();
    const lock = this.prefix + key;
    const token = randomBytes(9).toString('base64url');
    const giveUpAt = Date.now() + WAIT_MS;
    for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
      let taken: string | null;
      try {
        taken = await redis.set(lock, token, 'PX', HOLD_MS, 'NX');
      } catch {
        // Redis is down: go on without the lock rather than stop imports. On MongoDB the conditional
        // update alone is exact; only FerretDB's lost-update window is open meanwhile.
        return work();
      }
      if (taken === 'OK') break;
      if (Date.now() > giveUpAt) throw new Error(`${key} stayed locked for ${WAIT_MS} ms`);
      await new Promise((r) => setTimeout(r, pause + Math.random() * pause));
    }
    try {
      return await work();
    } finally {
      await redis.eval(RELEASE, 1, lock, token).catch(() => undefined); // expires by itself otherwise
    }
  }

  /**
   * Runs long work (an undo) at most once at a time per key, across processes: while one holder works,
   * `busy` answers instead. The hold is renewed as the work goes on, so a holder killed half-way frees
   * the key within LONG_HOLD_MS and the work can be taken up again.
   */
  async exclusive<T>(key: string, work: () => Promise<T>, busy: () => Promise<T> | T): Promise<T> {
    const lock = this.prefix + key;
    const token = randomBytes(9).toString('base64url');
    let redis: ReturnType<LazyRedis['get']>;
    let taken: string | null;
    try {
      redis = this.redis.get();
      taken = await redis.set(lock, token, 'PX', LONG_HOLD_MS, 'NX');
    } catch {
      return work(); // Redis is down: the lifecycle's own conditions still refuse what they can
    }
    // Answered outside the try: a `busy` that throws must not be taken for Redis being down.
    if (taken !== 'OK') return busy();
    const renew = setInterval(() => {
      redis.eval(RENEW, 1, lock, token, String(LONG_HOLD_MS)).catch(() => undefined);
    }, LONG_HOLD_MS / 3);
    renew.unref();
    try {
      return await work();
    } finally {
      clearInterval(renew);
      await redis.eval(RELEASE, 1, lock, token).catch(() => undefined);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.close();
  }
}
