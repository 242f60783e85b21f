import type { Logger } from "../../ports/logger.js";
import type { MessagePublisher } from "../../ports/messaging.js";
import { refusedMessageIds } from "../../ports/message-refused.errors.js";
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
  /** Told of every record set aside (e.g. to count it). */
  readonly onSetAside?: (record: SetAside) => void;
}

/** A record the relay set aside because the broker refused it for good. */
export interface SetAside {
  readonly position: number;
  readonly key: string;
  readonly messageId: string;
  readonly reason: string;
}

/**
 * Moves outbox records to the broker (transactional outbox). Claims a batch (the outbox gives each
 * order key to one relay at a time, oldest first), publishes it per topic in position order so messages of one
 * order keep their sequence, and marks it sent. If publishing fails the batch is released and claimed again;
 * if the process dies its lease runs out. Either way delivery is at-least-once and consumers dedupe by id.
 * Several relays in several processes are safe: keys are leased, never shared.
 *
 * A message the broker refuses for good (`MessageRefusedError`, e.g. past its size limit) is set aside with the
 * reason instead, so it cannot stop the line: the rest of the batch is released and flows on the next claim. The
 * set-aside record holds its key, so that order's later events wait behind it and are never published out of
 * sequence; an admin restores it after a fix (the outbox dead-letter view).
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

  /**
   * Publishes one batch; returns how many records left the line (sent, or set aside; 0: nothing pending). Throws if
   * the broker failed for another reason than refusing particular messages.
   */
  async relayOnce(): Promise<number> {
    const { relayId } = this.options;
    const batch = await this.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.outbox.claim(relayId, this.batchSize, this.leaseMs));
    return this.publish(batch);
  }

  /** Publishes the pending records of `keys` (orders a transaction just wrote), as `relayOnce` does; returns how many left the line. */
  async relayKeys(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const { relayId } = this.options;
    const batch = await this.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.outbox.claim(relayId, this.batchSize, this.leaseMs, { keys }));
    return this.publish(batch);
  }

  /** Relays until nothing is pending; returns how many records left the line. */
  async drain(): Promise<number> {
    let total = 0;
    for (let sent = await this.relayOnce(); sent > 0; sent = await this.relayOnce()) total += sent;
    return total;
  }

  private async publish(batch: readonly OutboxRecord[]): Promise<number> {
    if (batch.length === 0) return 0;
    const { relayId } = this.options;
    const positions = batch.map((r) => r.position);
    try {
      for (const [topic, records] of byTopic(batch)) {
        await this.publisher.publish(topic, records.map((r) => r.message));
      }
    } catch (error) {
      const refused = new Set(refusedMessageIds(error));
      const setAside = batch.filter((r) => refused.has(r.message.id));
      if (setAside.length > 0) return this.setAside(batch, setAside, error);
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

  /** Sets the refused records aside and gives the rest back (some may have reached the broker: at-least-once). */
  private async setAside(batch: readonly OutboxRecord[], refused: readonly OutboxRecord[], error: unknown): Promise<number> {
    const { relayId } = this.options;
    const reason = `refused by the broker: ${(error as Error).message}`;
    const kept = new Set(refused.map((r) => r.position));
    await this.uow.run(SYSTEM_PRINCIPAL, async (tx) => {
      for (const record of refused) await tx.outbox.setAside(relayId, record.position, reason);
      await tx.outbox.release(relayId, batch.filter((r) => !kept.has(r.position)).map((r) => r.position));
    });
    for (const record of refused) {
      const aside: SetAside = { position: record.position, key: record.key, messageId: record.message.id, reason };
      this.logger.error("the broker refused an outbox record for good; set aside, its order's later events wait behind it", {
        relayId,
        ...aside,
      });
      this.options.onSetAside?.(aside);
    }
    return refused.length;
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
