import type { Buffer } from "node:buffer";

/** A message as the topic stored it. */
export interface StoredMessage {
  readonly messageId: string;
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  readonly publishTime: Date;
  readonly orderingKey: string;
}

/** Who holds a lease: a streaming pull stream, a unary pull, or the push deliverer. */
export interface LeaseHolder {
  readonly id: string;
}

/** One delivery handed to a holder. */
export interface Delivery {
  readonly ackId: string;
  readonly message: StoredMessage;
  /** Deliveries of this message so far, this one included. */
  readonly attempt: number;
}

/** The subscription settings the queue needs; read on every decision, so updates apply at once. */
export interface QueueSettings {
  readonly ordering: boolean;
  /** Redelivery backoff after a nack or an expired deadline, in ms for the given attempt; 0 without a retry policy. */
  backoffMs(attempt: number): number;
  /** Deliveries after which a nacked or expired message is forwarded, or undefined without a dead-letter policy. */
  readonly maxDeliveryAttempts: number | undefined;
  /** Forwards a message to the dead-letter topic; false if that topic is gone (the message then stays). */
  forwardToDeadLetter(message: StoredMessage, attempts: number): boolean;
}

interface Entry {
  readonly seq: number;
  readonly message: StoredMessage;
  deliveries: number;
  availableAt: number;
  lease: { ackId: string; deadline: number; holder: LeaseHolder } | undefined;
  /** The ack id of the last delivery: an ack after the deadline still counts until the message is redelivered. */
  lastAckId: string | undefined;
}

/**
 * The backlog of one subscription and its leases, following the service's semantics: a delivered message is
 * leased until its ack deadline; an ack removes it; a nack (deadline 0) or an expired deadline makes it available
 * again after the retry policy's backoff, or forwards it to the dead-letter topic once it was delivered
 * `maxDeliveryAttempts` times. With ordering, a message waits until every earlier message of its ordering key
 * is acknowledged (or dead-lettered), so a nacked one is redelivered before its followers.
 */
export class SubscriptionQueue {
  private readonly entries = new Map<number, Entry>();
  private readonly byAckId = new Map<string, Entry>();
  private seq = 0;
  private ackSeq = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  constructor(
    private readonly name: string,
    private readonly settings: () => QueueSettings,
    /** Called whenever something may have become deliverable. */
    private readonly onChange: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  enqueue(message: StoredMessage): void {
    this.seq += 1;
    this.entries.set(this.seq, { seq: this.seq, message, deliveries: 0, availableAt: 0, lease: undefined, lastAckId: undefined });
    this.onChange();
  }

  /** Leases up to `max` deliverable messages (and about `maxBytes`) to `holder` for `deadlineMs`. */
  take(holder: LeaseHolder, max: number, maxBytes: number, deadlineMs: number): Delivery[] {
    this.expireLeases();
    const now = this.now();
    const { ordering } = this.settings();
    const blockedKeys = new Set<string>();
    const taken: Delivery[] = [];
    let bytes = 0;
    for (const entry of this.entries.values()) {
      if (taken.length >= max) break;
      const key = ordering ? entry.message.orderingKey : "";
      const blocked = key !== "" && blockedKeys.has(key);
      if (key !== "") blockedKeys.add(key);
      if (blocked || entry.lease !== undefined || entry.availableAt > now) continue;
      const size = entry.message.data.length;
      if (taken.length > 0 && bytes + size > maxBytes) break;
      bytes += size;
      this.ackSeq += 1;
      const ackId = `${this.name}:${entry.seq}:${this.ackSeq}`;
      entry.deliveries += 1;
      entry.lease = { ackId, deadline: now + deadlineMs, holder };
      if (entry.lastAckId !== undefined) this.byAckId.delete(entry.lastAckId);
      entry.lastAckId = ackId;
      this.byAckId.set(ackId, entry);
      taken.push({ ackId, message: entry.message, attempt: entry.deliveries });
    }
    this.schedule();
    return taken;
  }

  /** Messages leased to `holder` and not yet acked, nacked or expired (server-side flow control). */
  outstanding(holder: LeaseHolder): { messages: number; bytes: number } {
    let messages = 0;
    let bytes = 0;
    for (const entry of this.entries.values()) {
      if (entry.lease?.holder === holder) {
        messages += 1;
        bytes += entry.message.data.length;
      }
    }
    return { messages, bytes };
  }

  /** Removes acknowledged messages; unknown or superseded ack ids are ignored, as the service does. */
  acknowledge(ackIds: readonly string[]): void {
    for (const ackId of ackIds) {
      const entry = this.byAckId.get(ackId);
      if (entry === undefined || (entry.lease !== undefined && entry.lease.ackId !== ackId)) continue;
      this.remove(entry);
    }
    this.schedule();
    this.onChange();
  }

  /** Sets the deadline of current leases; 0 is a nack. Stale ack ids are ignored. */
  modifyAckDeadline(ackIds: readonly string[], deadlineMs: number): void {
    const now = this.now();
    for (const ackId of ackIds) {
      const entry = this.byAckId.get(ackId);
      if (entry?.lease?.ackId !== ackId) continue;
      if (deadlineMs === 0) this.release(entry, now);
      else entry.lease.deadline = now + deadlineMs;
    }
    this.schedule();
    this.onChange();
  }

  /** Releases every lease of a holder that went away without settling (a unary pull's are kept until expiry). */
  nackAllOf(holder: LeaseHolder): void {
    const now = this.now();
    for (const entry of this.entries.values()) if (entry.lease?.holder === holder) this.release(entry, now);
    this.schedule();
    this.onChange();
  }

  /** Stops the timer; the queue is dropped with its subscription. */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private expireLeases(): boolean {
    const now = this.now();
    let changed = false;
    for (const entry of this.entries.values()) {
      if (entry.lease !== undefined && entry.lease.deadline <= now) {
        this.release(entry, now);
        changed = true;
      }
    }
    return changed;
  }

  /** A nack or an expired deadline: dead-letter after the last allowed attempt, else back off and redeliver. */
  private release(entry: Entry, now: number): void {
    entry.lease = undefined;
    const settings = this.settings();
    const max = settings.maxDeliveryAttempts;
    if (max !== undefined && entry.deliveries >= max && settings.forwardToDeadLetter(entry.message, entry.deliveries)) {
      this.remove(entry);
      return;
    }
    entry.availableAt = now + settings.backoffMs(entry.deliveries);
  }

  private remove(entry: Entry): void {
    this.entries.delete(entry.seq);
    if (entry.lastAckId !== undefined) this.byAckId.delete(entry.lastAckId);
  }

  /** Arms one timer for the next lease expiry or end of a backoff. */
  private schedule(): void {
    const now = this.now();
    let next = Infinity;
    for (const entry of this.entries.values()) {
      if (entry.lease !== undefined) next = Math.min(next, entry.lease.deadline);
      else if (entry.availableAt > now) next = Math.min(next, entry.availableAt);
    }
    if (next === this.timerAt && this.timer !== undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = next;
    if (next === Infinity) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.expireLeases();
      this.schedule();
      this.onChange();
    }, Math.max(0, next - now));
    this.timer.unref?.();
  }
}
