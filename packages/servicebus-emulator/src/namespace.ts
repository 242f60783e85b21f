import { randomUUID } from "node:crypto";
import type { Message } from "rhea";
import {
  resolveDuplicateDetection,
  resolveEntityProperties,
  type EmulatorConfig,
  type QueueConfig,
  type ResolvedDuplicateDetection,
  type TopicConfig,
} from "./config.js";
import { BrokerError, CONDITIONS, MessageQueue } from "./message-queue.js";
import { compileRule, filterView } from "./stored-message.js";
import type { FilterableMessage } from "./sql-filter.js";

/** One copy of a message that a queue or subscription took. */
export interface ScheduledCopy {
  readonly queue: MessageQueue;
  readonly sequenceNumber: number;
}

/** Where a sender's messages go: a queue, or a topic that copies them to the subscriptions whose rules match. */
interface Entrance {
  readonly duplicates: DuplicateDetector;
  readonly targets: readonly { readonly queue: MessageQueue; readonly accepts: (m: FilterableMessage) => boolean }[];
}

/**
 * The entities of one emulated namespace. Names are case-insensitive, as in the service. Addresses are the ones
 * the SDK uses: `queue`, `topic`, `topic/Subscriptions/sub`, each with an optional `/$DeadLetterQueue`.
 */
export class Namespace {
  private readonly entrances = new Map<string, Entrance>();
  private readonly queues = new Map<string, MessageQueue>();

  /** Adds (or replaces) the queues, topics, subscriptions and rules of every namespace in `config`. */
  apply(config: EmulatorConfig): void {
    for (const namespace of config.UserConfig.Namespaces) {
      for (const queue of namespace.Queues ?? []) this.addQueue(queue);
      for (const topic of namespace.Topics ?? []) this.addTopic(topic);
    }
  }

  /** The queue, subscription or dead-letter queue at `address`. */
  queue(address: string): MessageQueue {
    const queue = this.queues.get(normalize(address));
    if (queue === undefined) throw new BrokerError(CONDITIONS.notFound, `The messaging entity '${address}' could not be found.`);
    return queue;
  }

  hasEntrance(address: string): boolean {
    return this.entrances.has(normalize(address));
  }

  /** Accepts one message sent to a queue or topic; returns false when duplicate detection dropped it. */
  accept(address: string, message: Message): boolean {
    const entrance = this.entrances.get(normalize(address));
    if (entrance === undefined) throw new BrokerError(CONDITIONS.notFound, `The messaging entity '${address}' could not be found.`);
    if (!entrance.duplicates.firstTime(message.message_id)) return false;
    this.route(entrance, message, Date.now());
    return true;
  }

  /** Stores a message sent to a queue or topic to appear at `visibleAt`; returns where each copy went. */
  schedule(address: string, message: Message, visibleAt: number): ScheduledCopy[] {
    const entrance = this.entrances.get(normalize(address));
    if (entrance === undefined) throw new BrokerError(CONDITIONS.notFound, `The messaging entity '${address}' could not be found.`);
    return this.route(entrance, message, visibleAt);
  }

  close(): void {
    for (const queue of this.queues.values()) queue.close();
  }

  private route(entrance: Entrance, sent: Message, visibleAt: number): ScheduledCopy[] {
    // The service gives a message without an id one of its own; the SDK's lock renewal keys on it.
    const message = sent.message_id === undefined || sent.message_id === null ? { ...sent, message_id: randomUUID().replaceAll("-", "") } : sent;
    const view = filterView(message);
    return entrance.targets
      .filter((t) => t.accepts(view))
      .map((t) => ({ queue: t.queue, sequenceNumber: t.queue.enqueue(message, { visibleAt }) }));
  }

  private addQueue(config: QueueConfig): void {
    const queue = new MessageQueue(config.Name, resolveEntityProperties(config.Properties, `queue ${config.Name}`));
    this.register(queue);
    const detection = resolveDuplicateDetection(config.Properties, `queue ${config.Name}`);
    this.entrances.set(normalize(config.Name), { duplicates: new DuplicateDetector(detection), targets: [{ queue, accepts: () => true }] });
  }

  private addTopic(config: TopicConfig): void {
    const targets = (config.Subscriptions ?? []).map((subscription) => {
      const path = `${config.Name}/Subscriptions/${subscription.Name}`;
      const queue = new MessageQueue(path, resolveEntityProperties(subscription.Properties, `subscription ${path}`));
      this.register(queue);
      const rules = (subscription.Rules ?? []).map(compileRule);
      return { queue, accepts: (m: FilterableMessage) => rules.length === 0 || rules.some((rule) => rule(m)) };
    });
    const detection = resolveDuplicateDetection(config.Properties, `topic ${config.Name}`);
    this.entrances.set(normalize(config.Name), { duplicates: new DuplicateDetector(detection), targets });
  }

  private register(queue: MessageQueue): void {
    this.queues.get(normalize(queue.path))?.close();
    this.queues.set(normalize(queue.path), queue);
    if (queue.deadLetterQueue !== undefined) this.queues.set(normalize(queue.deadLetterQueue.path), queue.deadLetterQueue);
  }
}

/** Drops a message whose `message-id` was accepted within the history window, as the service does silently. */
class DuplicateDetector {
  private readonly seen = new Map<string, number>();

  constructor(private readonly detection: ResolvedDuplicateDetection) {}

  firstTime(messageId: unknown): boolean {
    if (!this.detection.enabled || messageId === undefined || messageId === null) return true;
    const now = Date.now();
    for (const [id, at] of this.seen) {
      if (at > now - this.detection.windowMs) break;
      this.seen.delete(id);
    }
    const key = String(messageId);
    if (this.seen.has(key)) return false;
    this.seen.set(key, now);
    return true;
  }
}

const normalize = (address: string): string => address.replace(/^\/+|\/+$/g, "").toLowerCase();
