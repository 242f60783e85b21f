import type { Logger } from "../../ports/logger.js";
import type { MessagePublisher } from "../../ports/messaging.js";
import type { OutboxRecord } from "../../ports/outbox.js";
import { SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import type { UnitOfWork } from "../../ports/unit-of-work.js";

/** Who a relay is and how much it claims. */
export interface OutboxRelayOptions {
  /** This relay's lease owner id; unique per process. */
  readonly relayId: string;
  /** Records claimed per batch (default 100). */
  readonly batchSize?: number;
  /** How long a claimed batch is ours before another relay may take it (default 30 s). */
  readonly leaseMs?: number;
}

/**
 * Moves outbox records to the broker (transactional outbox). Claims a batch (the outbox gives each
 * order key to one relay at a time, oldest first), publishes it per topic in position order so messages of one
 * order keep their sequence, and marks it sent. If publishing fails the batch is released and claimed again;
 * if the process dies its lease runs out. Either way delivery is at-least-once and consumers dedupe by id.
 * Several relays in several processes are safe: keys are leased, never shared.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly leaseMs: number;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly publisher: MessagePublisher,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions,
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.leaseMs = options.leaseMs ?? 30_000;
  }

  /** Publishes one batch; returns how many records were sent (0: nothing pending). Throws if the broker failed. */
  async relayOnce(): Promise<number> {
    const { relayId } = this.options;
    const batch = await this.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.outbox.claim(relayId, this.batchSize, this.leaseMs));
    if (batch.length === 0) return 0;
    const positions = batch.map((r) => r.position);
    try {
      for (const [topic, records] of byTopic(batch)) {
        await this.publisher.publish(topic, records.map((r) => r.message));
      }
    } catch (error) {
      this.logger.warn("publishing an outbox batch failed; releasing it", { relayId, count: batch.length, err: error });
      // If even the release fails, the lease runs out and another relay takes the batch; the publish fault is the news.
      await this.uow
        .run(SYSTEM_PRINCIPAL, (tx) => tx.outbox.release(relayId, positions))
        .catch((releaseError: unknown) => this.logger.error("releasing an outbox batch failed", { relayId, err: releaseError }));
      throw error;
    }
    await this.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.outbox.markSent(relayId, positions));
    return batch.length;
  }

  /** Relays until nothing is pending; returns how many records were sent. */
  async drain(): Promise<number> {
    let total = 0;
    for (let sent = await this.relayOnce(); sent > 0; sent = await this.relayOnce()) total += sent;
    return total;
  }
}

function byTopic(batch: readonly OutboxRecord[]): Map<string, OutboxRecord[]> {
  const groups = new Map<string, OutboxRecord[]>();
  for (const record of [...batch].sort((a, b) => a.position - b.position)) {
    const group = groups.get(record.topic) ?? [];
    group.push(record);
    groups.set(record.topic, group);
  }
  return groups;
}
