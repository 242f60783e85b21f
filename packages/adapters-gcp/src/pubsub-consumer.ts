import { Duration, SubscriptionCloseBehaviors, type Message, type PubSub, type Subscription } from "@google-cloud/pubsub";
import { decideDelivery, decodeCloudEvent } from "@tiffin/core";
import type { CloudEvent, HandlerOutcome, Logger, MessageHandler, ResolvedSubscriptionSpec } from "@tiffin/core";
import { recordAttribute } from "./dead-letter-record.js";
import { REPLAY_ATTRIBUTE, toEncodedMessage, toPubSubMessage } from "./message-attributes.js";
import { canRedeliverAfter, redeliverAfter } from "./lease-release.js";
import type { SubscriptionRef } from "./topology.js";

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
// ModifyAckDeadline takes at most 600 s.
const MAX_DELAY_SECONDS = 600;
// How long close waits for running handlers before the client nacks what is left.
const CLOSE_TIMEOUT = Duration.from({ minutes: 10 });

/**
 * Streams one subscription through the client library: its flow control runs at most `concurrency` handlers and
 * its lease manager extends deadlines while they run. The delivery policy decides the rest: ack, redeliver after
 * the delay (ModifyAckDeadline), or dead-letter (publish to the dead-letter topic with the reason, then ack).
 * Messages of one ordering key are handled one after another; after a retry, the key's later messages in hand are
 * nacked, since the service redelivers them after the retried one.
 */
export class PubSubConsumer {
  private subscription: Subscription | undefined;
  private closing = false;
  private readonly running = new Set<Promise<void>>();
  private readonly keys = new Map<string, Promise<"settled" | "retry">>();

  constructor(
    private readonly pubsub: PubSub,
    private readonly ref: SubscriptionRef,
    private readonly spec: ResolvedSubscriptionSpec,
    private readonly handler: MessageHandler,
    private readonly deps: { readonly logger: Logger; readonly random: () => number },
  ) {}

  start(): void {
    // One stream whose server-side flow control equals the client's: the client never holds a message it has
    // not handed out, so close can wait for the handlers and nothing received stays unseen.
    this.subscription = this.pubsub.subscription(this.ref.subscription, {
      flowControl: { maxMessages: this.spec.concurrency, allowExcessMessages: false },
      streamingOptions: { maxStreams: 1 },
      // Each ack and deadline change goes out on its own, in order: a batched delay could otherwise reach the
      // service before the client's receipt ModifyAckDeadline of the same message and be overwritten by it.
      batching: { maxMessages: 1, maxMilliseconds: 0 },
      closeOptions: { behavior: SubscriptionCloseBehaviors.WaitForProcessing, timeout: CLOSE_TIMEOUT },
    });
    this.subscription.on("message", (message: Message) => this.track(this.receive(message)));
    this.subscription.on("error", (error: unknown) => {
      this.deps.logger.warn("pubsub stream error; the client reconnects", { subscription: this.spec.subscription, error: errorText(error) });
    });
  }

  /** Stops the stream, waits for running handlers (their acks are flushed), then nacks anything left. */
  async close(): Promise<void> {
    this.closing = true;
    await this.subscription?.close();
    await Promise.allSettled([...this.running]);
    this.subscription?.removeAllListeners();
  }

  private track(work: Promise<void>): void {
    const run = work.finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Chains a message behind the earlier ones of its ordering key. */
  private async receive(message: Message): Promise<void> {
    if (this.closing) return void message.nack();
    const key = message.orderingKey ?? "";
    if (key === "") return void (await this.handle(message));
    const previous = this.keys.get(key);
    const next = (async () => {
      if (previous !== undefined && (await previous) === "retry") {
        message.nack();
        return "retry" as const;
      }
      return this.handle(message);
    })();
    this.keys.set(key, next);
    await next;
    if (this.keys.get(key) === next) this.keys.delete(key);
  }

  private async handle(message: Message): Promise<"settled" | "retry"> {
    if (this.closing) {
      message.nack();
      return "retry";
    }
    if (!canRedeliverAfter(message)) {
      this.deps.logger.error("this @google-cloud/pubsub version cannot delay a redelivery; nacking instead", {
        subscription: this.spec.subscription,
      });
    }
    const replayFor = message.attributes[REPLAY_ATTRIBUTE];
    if (replayFor !== undefined && replayFor !== this.spec.subscription) {
      message.ack();
      return "settled";
    }
    // delivery_attempt is set because every subscription has a dead-letter policy.
    const attempt = Math.max(1, message.deliveryAttempt);
    const outcome = await this.run(message, attempt);
    if (outcome === "skipped") {
      message.ack();
      return "settled";
    }
    const verdict = decideDelivery(outcome, attempt, this.spec, this.deps.random);
    switch (verdict.action) {
      case "ack":
        message.ack();
        return "settled";
      case "retry": {
        const seconds = Math.min(MAX_DELAY_SECONDS, Math.ceil(verdict.delayMs / 1000));
        if (canRedeliverAfter(message)) redeliverAfter(message, seconds);
        else message.nack();
        return "retry";
      }
      case "dead-letter":
        return this.deadLetter(message, verdict.reason, attempt);
    }
  }

  /** Decodes and runs the handler; never rejects. "skipped": a type the service filter could not exclude. */
  private async run(message: Message, attempt: number): Promise<HandlerOutcome | "skipped"> {
    let event: CloudEvent;
    try {
      event = decodeCloudEvent(toEncodedMessage(message.data, message.attributes));
    } catch (error) {
      return { kind: "unparseable", error };
    }
    if (!this.ref.typesInFilter && this.spec.eventTypes !== undefined && !this.spec.eventTypes.includes(event.type)) {
      return "skipped";
    }
    try {
      await this.handler(event, { subscription: this.spec.subscription, attempt });
      return { kind: "handled" };
    } catch (error) {
      return { kind: "failed", error };
    }
  }

  /** Publishes to the dead-letter topic, then acks; if that fails, a nack leaves it to the next delivery. */
  private async deadLetter(message: Message, reason: string, attempts: number): Promise<"settled" | "retry"> {
    try {
      const encoded = toEncodedMessage(message.data, message.attributes);
      const record = recordAttribute({ reason, attempts, at: new Date().toISOString() });
      const { data, attributes } = toPubSubMessage(encoded, record);
      // No ordering key: dead letters need no order, and a stuck key must not hold the others back.
      await this.pubsub.topic(this.ref.deadLetterTopic).publishMessage({ data, attributes });
      message.ack();
      return "settled";
    } catch (error) {
      this.deps.logger.warn("pubsub dead-letter publish failed; the message will be delivered again", {
        subscription: this.spec.subscription,
        error: errorText(error),
      });
      message.nack();
      return "retry";
    }
  }
}
