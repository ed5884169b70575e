import Redis from 'ioredis';

/**
 * A Redis connection for short commands (record locks, the imports' line), opened on first use. One
 * retry per command: when Redis is down the caller hears at once instead of waiting. Its errors stay
 * quiet here, because the queue's own connection reports them.
 */
export class LazyRedis {
  private client?: Redis;

  constructor(private readonly url: string) {}

  get(): Redis {
    if (!this.client) {
      this.client = new Redis(this.url, { maxRetriesPerRequest: 1 });
      this.client.on('error', () => undefined);
    }
    return this.client;
  }

  async close(): Promise<void> {
    await this.client?.quit().catch(() => undefined);
  }
}
