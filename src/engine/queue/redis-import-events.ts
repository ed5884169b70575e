import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { redact } from '../../core/redact';
import { ImportEventHandler, ImportEventMessage, ImportEvents } from './import-events';

/** Import events as Redis pub/sub on one channel under the queue prefix (so setups never mix). */
@Injectable()
export class RedisImportEvents implements ImportEvents, OnModuleDestroy {
  private readonly log = new Logger('ImportEvents');
  private readonly channel: string;
  private publisher?: Redis;
  private subscriber?: Redis;
  private readonly handlers = new Set<ImportEventHandler>();
  private readonly readyHooks = new Set<() => void>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.channel = `${config.queue.prefix}:import-events`;
  }

  async publish(event: ImportEventMessage): Promise<void> {
    try {
      this.publisher ??= this.connect('publisher');
      await this.publisher.publish(this.channel, JSON.stringify(event));
    } catch (e) {
      this.log.warn(`event of import ${event.importId} not said: ${redact((e as Error).message)}`);
    }
  }

  async subscribe(handler: ImportEventHandler, onReady?: () => void): Promise<() => Promise<void>> {
    this.handlers.add(handler);
    if (onReady) this.readyHooks.add(onReady);
    if (!this.subscriber) {
      const sub = this.connect('subscriber');
      this.subscriber = sub;
      sub.on('message', (_channel: string, text: string) => this.deliver(text));
      // After every (re)connection: subscribe, then let each follower read what it may have missed.
      sub.on('ready', () => {
        sub.subscribe(this.channel).then(
          () => this.readyHooks.forEach((hook) => hook()),
          (e: unknown) => this.log.warn(`cannot follow import events: ${redact((e as Error).message)}`),
        );
      });
    } else if (onReady && this.subscriber.status === 'ready') {
      onReady();
    }
    return async () => {
      this.handlers.delete(handler);
      if (onReady) this.readyHooks.delete(onReady);
    };
  }

  private deliver(text: string): void {
    let event: ImportEventMessage;
    try {
      event = JSON.parse(text) as ImportEventMessage;
    } catch {
      return;
    }
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (e) {
        this.log.warn(`an import event follower failed: ${redact((e as Error).message)}`);
      }
    }
  }

  private connect(role: string): Redis {
    const client = new Redis(this.config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false });
    client.on('error', (e: Error) => this.log.debug(`Redis ${role}: ${redact(e.message)}`));
    return client;
  }

  async onModuleDestroy(): Promise<void> {
    this.handlers.clear();
    this.readyHooks.clear();
    await Promise.all(
      [this.publisher?.quit(), this.subscriber?.quit()].map((p) => p?.catch(() => undefined)),
    );
  }
}
