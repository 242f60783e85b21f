import { setTimeout as delay } from "node:timers/promises";
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { decideDelivery, decodeCloudEvent, isTransient } from "@tiffin/core";
import type { CloudEvent, DeliveryVerdict, HandlerOutcome, Logger, MessageHandler, ResolvedSubscriptionSpec } from "@tiffin/core";
import type { ResolvedAwsBrokerConfig } from "./aws-config.js";
import { aws } from "./aws-errors.js";
import { receivedAttributes, unpackAttributes } from "./message-attributes.js";
import { sendToDeadLetterQueue } from "./sqs-dead-letters.js";
import type { QueueRef } from "./topology.js";

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const RECEIVE_ERROR_PAUSE_MS = 1_000;
const MAX_VISIBILITY_SECONDS = 43_200;

/**
 * Outcome of one delivery: "failed" leaves it queued, so the rest of its FIFO group in the batch must wait (they are
 * handed back); "given back" means it and its followers were already handed back.
 */
type Outcome = "settled" | "failed" | "given back";

/**
 * Long-polls one subscription's queue and runs the handler with at most `concurrency` messages at once. The
 * lease is extended while a handler runs. The delivery policy decides the rest: ack deletes the message, retry hides
 * it for the delay (`ChangeMessageVisibility`), dead-letter sends it to the dead-letter queue with the reason.
 */
export class SqsConsumer {
  private closing = false;
  private loop: Promise<void> | undefined;
  private readonly running = new Set<Promise<void>>();
  private wakeUp: (() => void) | undefined;
  /** Aborted by close(), to cut short a group's in-process retry wait. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly sqs: SQSClient,
    private readonly queue: QueueRef,
    private readonly spec: ResolvedSubscriptionSpec,
    private readonly handler: MessageHandler,
    private readonly config: ResolvedAwsBrokerConfig,
    private readonly deps: { readonly logger: Logger; readonly random: () => number },
  ) {}

  start(): void {
    this.loop ??= this.poll();
  }

  /** Stops polling (an open long poll finishes and its messages are given back), then waits for the handlers. */
  async close(): Promise<void> {
    this.closing = true;
    this.stopping.abort();
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.running]);
  }

  private async poll(): Promise<void> {
    while (!this.closing) {
      const free = this.spec.concurrency - this.running.size;
      if (free <= 0) {
        await this.sleep();
        continue;
      }
      let messages: Message[];
      try {
        messages = await this.receive(Math.min(10, free));
      } catch (error) {
        const log = isTransient(error) ? this.deps.logger.warn : this.deps.logger.error;
        log.call(this.deps.logger, "sqs receive failed; retrying", { queue: this.queue.queue, error: errorText(error) });
        await this.sleep(RECEIVE_ERROR_PAUSE_MS);
        continue;
      }
      if (this.closing) {
        await this.release([...messages].reverse());
        break;
      }
      for (const group of inGroups(messages)) this.track(this.handleInOrder(group));
    }
  }

  private async receive(max: number): Promise<Message[]> {
    const { Messages = [] } = await aws(`ReceiveMessage from ${this.queue.queue}`, () =>
      this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queue.url,
          MaxNumberOfMessages: max,
          WaitTimeSeconds: this.config.waitTimeSeconds,
          VisibilityTimeout: this.config.visibilityTimeoutSeconds,
          MessageAttributeNames: ["All"],
          MessageSystemAttributeNames: ["ApproximateReceiveCount", "MessageGroupId"],
        }),
      ),
    );
    return Messages;
  }

  private track(work: Promise<void>): void {
    const run = work.finally(() => {
      this.running.delete(run);
      this.wake();
    });
    this.running.add(run);
  }

  /**
   * Messages of one FIFO group arrive in order. A message with followers behind it in the batch is retried here,
   * with the whole group's leases kept, rather than hidden for its backoff: handing the followers back would count a
   * receive against each (SQS's `ApproximateReceiveCount` is the attempt number and redrive's trigger), so a follower
   * could be dead-lettered for its head's failures. Only the group's last message in hand backs off in SQS; after a
   * failure the rest go back so the group stays in order.
   */
  private async handleInOrder(group: readonly Message[]): Promise<void> {
    for (const [index, message] of group.entries()) {
      const followers = group.slice(index + 1);
      const outcome = await this.handle(message, followers);
      if (outcome === "failed") await this.release([...followers].reverse());
      if (outcome !== "settled") return;
    }
  }

  private async handle(message: Message, followers: readonly Message[]): Promise<Outcome> {
    // The followers wait in hand while this message is handled, so their leases are kept too.
    const waiting = followers.map((follower) => this.extendWhileRunning(follower));
    try {
      const received = Number(message.Attributes?.ApproximateReceiveCount ?? "1");
      for (let attempt = received; ; attempt += 1) {
        const verdict = decideDelivery(await this.run(message, attempt), attempt, this.spec, this.deps.random);
        if (verdict.action !== "retry" || followers.length === 0 || this.closing) return await this.settleVerdict(message, verdict, attempt);
        if (!(await this.holdFor(verdict.delayMs, message))) {
          // Closing during the wait: the message and its followers go back now, in order.
          await this.release([message, ...followers].reverse());
          return "given back";
        }
      }
    } finally {
      for (const lease of waiting) clearInterval(lease);
    }
  }

  private async settleVerdict(message: Message, verdict: DeliveryVerdict, attempt: number): Promise<Outcome> {
    switch (verdict.action) {
      case "ack": {
        const { url } = this.queue;
        await this.settle("DeleteMessage", () =>
          this.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle })),
        );
        return "settled";
      }
      case "retry": {
        // Visibility is whole seconds, at most 12 hours.
        const delaySeconds = Math.min(MAX_VISIBILITY_SECONDS, Math.ceil(verdict.delayMs / 1000));
        await this.settle("backoff", () => this.changeVisibility(message, delaySeconds));
        return "failed";
      }
      case "dead-letter":
        return this.deadLetter(message, verdict.reason, attempt);
    }
  }

  /** Waits `ms` with the message's lease renewed; false when the consumer started closing meanwhile. */
  private async holdFor(ms: number, message: Message): Promise<boolean> {
    const lease = this.extendWhileRunning(message);
    try {
      await delay(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      return !this.closing;
    } finally {
      clearInterval(lease);
    }
  }

  /** Decodes the message and runs the handler with the lease kept alive; never rejects. */
  private async run(message: Message, attempt: number): Promise<HandlerOutcome> {
    let event: CloudEvent;
    try {
      const attributes = unpackAttributes(receivedAttributes(message.MessageAttributes));
      event = decodeCloudEvent({ attributes, body: message.Body ?? "" });
    } catch (error) {
      return { kind: "unparseable", error };
    }
    const lease = this.extendWhileRunning(message);
    try {
      await this.handler(event, { subscription: this.spec.subscription, attempt });
      return { kind: "handled" };
    } catch (error) {
      return { kind: "failed", error };
    } finally {
      clearInterval(lease);
    }
  }

  private async deadLetter(message: Message, reason: string, attempts: number): Promise<Outcome> {
    const moved = await this.settle("dead-letter", () =>
      sendToDeadLetterQueue(this.sqs, this.queue, message, { reason, attempts }, this.config.fifo),
    );
    return moved ? "settled" : "failed";
  }

  /** Renews the lease at half its length so a slow handler keeps its message. */
  private extendWhileRunning(message: Message): ReturnType<typeof setInterval> {
    const seconds = this.config.visibilityTimeoutSeconds;
    const timer = setInterval(() => {
      void this.settle("extend visibility", () => this.changeVisibility(message, seconds));
    }, (seconds * 1000) / 2);
    timer.unref();
    return timer;
  }

  /** Gives messages back at once (visibility 0), last first so a FIFO group keeps its order. */
  private async release(messages: readonly Message[]): Promise<void> {
    for (const message of messages) {
      await this.settle("release", () => this.changeVisibility(message, 0));
    }
  }

  private changeVisibility(message: Message, seconds: number): Promise<unknown> {
    const { url } = this.queue;
    return this.sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: seconds }),
    );
  }

  /** A failed ack/nack is logged, not thrown: the lease runs out and SQS delivers the message again. */
  private async settle(action: string, call: () => Promise<unknown>): Promise<boolean> {
    try {
      await call();
      return true;
    } catch (error) {
      const fields = { queue: this.queue.queue, error: errorText(error) };
      this.deps.logger.warn(`sqs ${action} failed; the message will be delivered again`, fields);
      return false;
    }
  }

  private sleep(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => this.wake(), ms);
      this.wakeUp = () => {
        if (timer !== undefined) clearTimeout(timer);
        resolve();
      };
    });
  }

  private wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    wakeUp?.();
  }
}

/** Splits a batch into per-group runs (FIFO), or one run per message (standard queues have no groups). */
function inGroups(messages: readonly Message[]): Message[][] {
  const groups = new Map<string, Message[]>();
  for (const message of messages) {
    const key = message.Attributes?.MessageGroupId ?? message.MessageId ?? "";
    groups.set(key, [...(groups.get(key) ?? []), message]);
  }
  return [...groups.values()];
}
