import {
  type Logger,
  type MessageHandler,
  type MessageSubscriber,
  type QueueDepth,
  type Subscription,
  type SubscriptionSpec,
  resolveSubscriptionSpec,
  silentLogger,
} from "@tiffin/core";
import { num } from "../stores/rows.js";
import { busChannel } from "../sql/channels.js";
import type { Database } from "../sql/database.js";
import { BUS_SQL } from "./bus-sql.js";
import { Consumer, type ConsumerOptions } from "./consumer.js";

export interface PostgresSubscriberConfig {
  /** Fallback poll when no notification arrives (default 1 000 ms). */
  readonly pollIntervalMs?: number;
  /** How long a claimed message stays hidden; extended while its handler runs (default 30 000 ms). */
  readonly visibilityTimeoutMs?: number;
  readonly logger?: Logger;
  /** Source of backoff jitter (tests may pin it). */
  readonly random?: () => number;
}

/**
 * Consumes the Postgres transport. `subscribe` upserts the subscription row before resolving, so later
 * publishes fan out to it even while nobody consumes. One LISTEN per subscriber wakes its consumers.
 */
export class PostgresSubscriber implements MessageSubscriber, QueueDepth {
  private readonly consumers = new Set<Consumer>();
  private unlisten: Promise<() => Promise<void>> | null = null;
  private readonly options: ConsumerOptions;

  constructor(
    private readonly db: Database,
    config: PostgresSubscriberConfig = {},
  ) {
    this.options = {
      pollIntervalMs: config.pollIntervalMs ?? 1_000,
      visibilityTimeoutMs: config.visibilityTimeoutMs ?? 30_000,
      logger: config.logger ?? silentLogger,
      random: config.random ?? Math.random,
    };
  }

  async subscribe(spec: SubscriptionSpec, handler: MessageHandler): Promise<Subscription> {
    const resolved = resolveSubscriptionSpec(spec);
    await this.db.query(BUS_SQL.upsertSubscription, [
      spec.subscription,
      spec.topic,
      spec.eventTypes ? [...spec.eventTypes] : null,
      resolved.maxDeliveries,
    ]);
    this.unlisten ??= this.db.listen(busChannel(this.db.schema), (subscription) => {
      for (const consumer of this.consumers) if (consumer.subscription === subscription) consumer.wake();
    });
    await this.unlisten;
    const consumer = new Consumer(this.db, resolved, handler, this.options);
    this.consumers.add(consumer);
    consumer.wake();
    return {
      close: async () => {
        this.consumers.delete(consumer);
        await consumer.close();
      },
    };
  }

  /** Messages waiting in the subscription, in flight included (also a cheap readiness probe). */
  async depth(subscription: string): Promise<number> {
    const rows = await this.db.query<{ n: unknown }>(BUS_SQL.depth, [subscription]);
    return num(rows[0]?.n);
  }

  async close(): Promise<void> {
    const consumers = [...this.consumers];
    this.consumers.clear();
    await Promise.all(consumers.map((consumer) => consumer.close()));
    const unlisten = this.unlisten;
    this.unlisten = null;
    if (unlisten) await (await unlisten)().catch(() => undefined);
  }
}
