import { randomUUID } from "node:crypto";
import type { EncodedMessage } from "../../messaging/cloud-event-codec.js";
import type { CloudEvent } from "../../messaging/cloud-event.js";
import type { DeadLetter } from "../../ports/messaging.js";
import type { ResolvedSubscriptionSpec } from "../../messaging/subscription-defaults.js";

/** A message waiting in (or being delivered from) one subscription. */
export interface QueuedMessage {
  readonly raw: EncodedMessage;
  /** The ordering key: the CloudEvents `subject` attribute. */
  readonly key: string | undefined;
  attempts: number;
  availableAt: number;
  inFlight: boolean;
}

/**
 * The durable state of one subscription: its messages in arrival order and its dead letters. It outlives the
 * consumers, so a subscriber that comes back finds what was published while it was away.
 */
export class SubscriptionQueue {
  private messages: QueuedMessage[] = [];
  private dead: DeadLetter[] = [];

  constructor(
    readonly name: string,
    public spec: ResolvedSubscriptionSpec,
  ) {}

  /** True when the subscription's type filter lets the message in; a message without a type passes no filter. */
  accepts(raw: EncodedMessage): boolean {
    const types = this.spec.eventTypes;
    if (types === undefined) return true;
    const type = raw.attributes.type;
    return type !== undefined && types.includes(type);
  }

  enqueue(raw: EncodedMessage, now: number): void {
    this.messages.push({ raw, key: raw.attributes.subject, attempts: 0, availableAt: now, inFlight: false });
  }

  /**
   * The oldest message that may be delivered now, marked in flight. A message is held back while an earlier
   * message with the same key is in flight or waiting for its retry, so each key is handled in order.
   */
  take(now: number): QueuedMessage | undefined {
    const blocked = new Set<string>();
    for (const message of this.messages) {
      if (message.key !== undefined && blocked.has(message.key)) continue;
      if (!message.inFlight && message.availableAt <= now) {
        message.inFlight = true;
        message.attempts += 1;
        return message;
      }
      if (message.key !== undefined) blocked.add(message.key);
    }
    return undefined;
  }

  /** When the next message waiting for a retry becomes deliverable, if any. */
  nextWakeAt(now: number): number | undefined {
    let wakeAt: number | undefined;
    for (const message of this.messages) {
      if (message.inFlight || message.availableAt <= now) continue;
      wakeAt = wakeAt === undefined ? message.availableAt : Math.min(wakeAt, message.availableAt);
    }
    return wakeAt;
  }

  ack(message: QueuedMessage): void {
    this.messages = this.messages.filter((m) => m !== message);
  }

  retryAt(message: QueuedMessage, at: number): void {
    message.inFlight = false;
    message.availableAt = at;
  }

  deadLetter(message: QueuedMessage, event: CloudEvent | null, reason: string, now: number): void {
    this.ack(message);
    this.dead.push({
      id: randomUUID(),
      subscription: this.name,
      message: event,
      raw: message.raw,
      reason,
      attempts: message.attempts,
      deadLetteredAt: new Date(now).toISOString(),
    });
  }

  listDeadLetters(limit: number): DeadLetter[] {
    return this.dead.slice(0, limit);
  }

  /** Moves a dead letter back to the end of the queue as a fresh delivery; false when the id is not here. */
  revive(deadLetterId: string, now: number): boolean {
    const letter = this.dead.find((d) => d.id === deadLetterId);
    if (letter === undefined) return false;
    this.dead = this.dead.filter((d) => d !== letter);
    this.enqueue(letter.raw, now);
    return true;
  }

  /** Messages waiting for delivery, not counting those in flight. */
  depth(): number {
    return this.messages.filter((m) => !m.inFlight).length;
  }
}
