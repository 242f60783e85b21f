import { decodeCloudEvent, encodeCloudEvent, type EncodedMessage } from "../../messaging/cloud-event-codec.js";
import type { CloudEvent } from "../../messaging/cloud-event.js";
import type {
  DeadLetter,
  DeadLetters,
  MessageHandler,
  MessagePublisher,
  MessageSubscriber,
  QueueDepth,
  Subscription,
  SubscriptionSpec,
} from "../../ports/messaging.js";
import { decideDelivery, type HandlerOutcome } from "../../messaging/delivery-policy.js";
import { resolveSubscriptionSpec } from "../../messaging/subscription-defaults.js";
import { SubscriptionQueue, type QueuedMessage } from "./subscription-queue.js";

interface Consumer {
  readonly handler: MessageHandler;
  readonly concurrency: number;
  active: number;
  readonly running: Set<Promise<void>>;
}

interface SubscriptionState {
  readonly topic: string;
  readonly queue: SubscriptionQueue;
  consumers: Consumer[];
  /** Round-robin position, so competing consumers share the work. */
  turn: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  wakeAt: number | undefined;
}

export interface InMemoryBrokerOptions {
  /** Source of jitter for redelivery delays (tests may pin it). */
  readonly random?: () => number;
}

/**
 * A broker in one process with the semantics of the real ones: durable subscriptions with fan-out, type filters,
 * competing consumers, backoff, dead letters, replay and per-subject ordering. Messages are stored encoded, so
 * every delivery goes through the same CloudEvents codec as a network broker. State lives as long as the object;
 * `close` stops the consumers but keeps the state, so subscribing again behaves like a restarted process.
 */
export class InMemoryBroker implements MessagePublisher, MessageSubscriber, DeadLetters, QueueDepth {
  private readonly subscriptions = new Map<string, SubscriptionState>();
  private readonly handles = new Set<Subscription>();
  private readonly random: () => number;

  constructor(options: InMemoryBrokerOptions = {}) {
    this.random = options.random ?? Math.random;
  }

  async publish(topic: string, messages: readonly CloudEvent[]): Promise<void> {
    for (const message of messages) this.fanOut(topic, encodeCloudEvent(message));
  }

  /** Puts bytes on a topic as a foreign producer would, valid CloudEvent or not (for tools and tests). */
  async publishRaw(topic: string, message: EncodedMessage): Promise<void> {
    this.fanOut(topic, { attributes: { ...message.attributes }, body: message.body });
  }

  async subscribe(spec: SubscriptionSpec, handler: MessageHandler): Promise<Subscription> {
    const resolved = resolveSubscriptionSpec(spec);
    let state = this.subscriptions.get(spec.subscription);
    if (state !== undefined && state.topic !== spec.topic) {
      throw new Error(`subscription "${spec.subscription}" already reads topic "${state.topic}", not "${spec.topic}"`);
    }
    if (state === undefined) {
      const queue = new SubscriptionQueue(spec.subscription, resolved);
      state = { topic: spec.topic, queue, consumers: [], turn: 0, timer: undefined, wakeAt: undefined };
      this.subscriptions.set(spec.subscription, state);
    }
    state.queue.spec = resolved;
    const consumer: Consumer = { handler, concurrency: resolved.concurrency, active: 0, running: new Set() };
    state.consumers.push(consumer);
    const owner = state;
    let closing: Promise<void> | undefined;
    const handle: Subscription = {
      close: () => {
        closing ??= this.stopConsumer(owner, consumer).finally(() => this.handles.delete(handle));
        return closing;
      },
    };
    this.handles.add(handle);
    this.pump(state);
    return handle;
  }

  async close(): Promise<void> {
    await Promise.all([...this.handles].map((handle) => handle.close()));
  }

  async list(subscription: string, options: { limit?: number } = {}): Promise<DeadLetter[]> {
    const queue = this.subscriptions.get(subscription)?.queue;
    return queue?.listDeadLetters(options.limit ?? Number.POSITIVE_INFINITY) ?? [];
  }

  async replay(deadLetterId: string): Promise<boolean> {
    for (const state of this.subscriptions.values()) {
      if (state.queue.revive(deadLetterId, Date.now())) {
        this.pump(state);
        return true;
      }
    }
    return false;
  }

  async depth(subscription: string): Promise<number> {
    return this.subscriptions.get(subscription)?.queue.depth() ?? 0;
  }

  private fanOut(topic: string, raw: EncodedMessage): void {
    for (const state of this.subscriptions.values()) {
      if (state.topic !== topic || !state.queue.accepts(raw)) continue;
      state.queue.enqueue(raw, Date.now());
      this.pump(state);
    }
  }

  private async stopConsumer(state: SubscriptionState, consumer: Consumer): Promise<void> {
    state.consumers = state.consumers.filter((c) => c !== consumer);
    if (state.consumers.length === 0 && state.timer !== undefined) {
      clearTimeout(state.timer);
      state.timer = undefined;
      state.wakeAt = undefined;
    }
    await Promise.allSettled([...consumer.running]);
  }

  /** Hands deliverable messages to consumers with free capacity, then sleeps until the next retry is due. */
  private pump(state: SubscriptionState): void {
    for (;;) {
      const consumer = this.freeConsumer(state);
      if (consumer === undefined) return;
      const message = state.queue.take(Date.now());
      if (message === undefined) return this.scheduleWake(state);
      consumer.active += 1;
      const run: Promise<void> = this.deliver(state.queue, message, consumer.handler).then(() => {
        consumer.active -= 1;
        consumer.running.delete(run);
        this.pump(state);
      });
      consumer.running.add(run);
    }
  }

  private freeConsumer(state: SubscriptionState): Consumer | undefined {
    const count = state.consumers.length;
    for (let i = 0; i < count; i += 1) {
      const consumer = state.consumers[(state.turn + i) % count];
      if (consumer !== undefined && consumer.active < consumer.concurrency) {
        state.turn = (state.turn + i + 1) % count;
        return consumer;
      }
    }
    return undefined;
  }

  private scheduleWake(state: SubscriptionState): void {
    const now = Date.now();
    const at = state.queue.nextWakeAt(now);
    if (at === undefined || state.consumers.length === 0) return;
    if (state.timer !== undefined && state.wakeAt !== undefined && state.wakeAt <= at) return;
    if (state.timer !== undefined) clearTimeout(state.timer);
    state.wakeAt = at;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      state.wakeAt = undefined;
      this.pump(state);
    }, at - now);
    state.timer.unref?.();
  }

  /** Runs the handler once and settles the message as the delivery policy says: ack, retry later, or dead-letter. */
  private async deliver(queue: SubscriptionQueue, message: QueuedMessage, handler: MessageHandler): Promise<void> {
    const { event, outcome } = await runHandler(message, queue.name, handler);
    const verdict = decideDelivery(outcome, message.attempts, queue.spec, this.random);
    if (verdict.action === "ack") queue.ack(message);
    else if (verdict.action === "retry") queue.retryAt(message, Date.now() + verdict.delayMs);
    else queue.deadLetter(message, event, verdict.reason, Date.now());
  }
}

/** Decodes the message and runs the handler on it; never rejects. */
async function runHandler(
  message: QueuedMessage,
  subscription: string,
  handler: MessageHandler,
): Promise<{ event: CloudEvent | null; outcome: HandlerOutcome }> {
  let event: CloudEvent;
  try {
    event = decodeCloudEvent(message.raw);
  } catch (error) {
    return { event: null, outcome: { kind: "unparseable", error } };
  }
  try {
    await handler(event, { subscription, attempt: message.attempts });
    return { event, outcome: { kind: "handled" } };
  } catch (error) {
    return { event, outcome: { kind: "failed", error } };
  }
}
