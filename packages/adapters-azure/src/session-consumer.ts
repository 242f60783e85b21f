import { setMaxListeners } from "node:events";
import type { ServiceBusClient, ServiceBusReceivedMessage, ServiceBusSessionReceiver } from "@azure/service-bus";
import { decideDelivery, decodeCloudEvent } from "@tiffin/core";
import type { CloudEvent, HandlerOutcome, Logger, MessageHandler, ResolvedSubscriptionSpec } from "@tiffin/core";
import type { ResolvedAzureBrokerConfig } from "./azure-config.js";
import { isNoSessionAvailable } from "./azure-errors.js";
import { fromReceived } from "./message-mapping.js";
import { ADAPTER_PROPERTIES } from "./topology.js";

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const ERROR_PAUSE_MS = 1_000;
/** The service keeps 4 096 characters of a dead-letter reason. */
const MAX_REASON_LENGTH = 4_096;

/**
 * Consumes one subscription through session receivers: `concurrency` workers each lock the next session with
 * messages (one order), handle its messages one at a time in sequence, and let it go when it stays idle. The SDK
 * renews the session lock while a worker holds it. The delivery policy decides each message's fate: complete;
 * retry (the worker keeps the session for the delay, so the order's later events wait, then abandons the message,
 * which comes back first in its session); or dead-letter with the policy's reason.
 */
export class SessionConsumer {
  private closing = false;
  private readonly abort = new AbortController();
  private readonly workers: Promise<void>[] = [];
  /** Settles when close begins; one listener for every wait that close cuts short. */
  private readonly closed = new Promise<undefined>((resolve) => this.abort.signal.addEventListener("abort", () => resolve(undefined), { once: true }));

  constructor(
    private readonly client: ServiceBusClient,
    private readonly spec: ResolvedSubscriptionSpec,
    private readonly handler: MessageHandler,
    private readonly config: ResolvedAzureBrokerConfig,
    private readonly deps: { readonly logger: Logger; readonly random: () => number },
  ) {}

  start(): void {
    // Every worker's receive and accept listen on the one signal (the SDK adds its own listeners too).
    setMaxListeners(8 * this.spec.concurrency + 10, this.abort.signal);
    for (let n = 0; n < this.spec.concurrency; n += 1) this.workers.push(this.work());
  }

  /** Stops taking sessions, lets running handlers finish and settle, and releases every session. */
  async close(): Promise<void> {
    this.closing = true;
    this.abort.abort();
    await Promise.all(this.workers);
  }

  private async work(): Promise<void> {
    while (!this.closing) {
      let receiver: ServiceBusSessionReceiver | undefined;
      try {
        receiver = await this.acceptNextSession();
        if (receiver === undefined) return;
      } catch (error) {
        if (this.closing || isNoSessionAvailable(error)) continue;
        this.deps.logger.warn("service bus: accepting a session failed; retrying", { error: errorText(error) });
        await this.pause(ERROR_PAUSE_MS);
        continue;
      }
      try {
        await this.drainSession(receiver);
      } catch (error) {
        this.deps.logger.warn("service bus: session receiver failed; its messages come back when the lock ends", {
          session: receiver.sessionId,
          error: errorText(error),
        });
      } finally {
        await receiver.close().catch(() => undefined);
      }
    }
  }

  /**
   * Waits for the next session with messages, or for close. The service holds the request up to `sessionWaitMs`
   * and the SDK does not cut it short on abort, so close does not wait for it: a session locked after close is
   * let go at once (its messages were not delivered, so nothing is counted).
   */
  private async acceptNextSession(): Promise<ServiceBusSessionReceiver | undefined> {
    const accepting = this.client.acceptNextSession(this.spec.topic, this.spec.subscription, {
      receiveMode: "peekLock",
      skipParsingBodyAsJson: true,
      maxAutoLockRenewalDurationInMs: this.config.sessionMaxHoldMs + this.config.lockDurationMs,
      abortSignal: this.abort.signal,
    });
    const receiver = await Promise.race([accepting, this.closed]);
    if (receiver === undefined) {
      accepting.then((late) => late.close(), () => undefined).catch(() => undefined);
    }
    return receiver;
  }

  /** Handles the session's messages in order until it is idle, held too long, or the consumer closes. */
  private async drainSession(receiver: ServiceBusSessionReceiver): Promise<void> {
    const letGoAt = Date.now() + this.config.sessionMaxHoldMs;
    while (!this.closing && Date.now() < letGoAt) {
      let messages: ServiceBusReceivedMessage[];
      try {
        messages = await receiver.receiveMessages(1, { maxWaitTimeInMs: this.config.sessionIdleMs, abortSignal: this.abort.signal });
      } catch (error) {
        if (this.closing) return;
        throw error;
      }
      const [message] = messages;
      if (message === undefined) return;
      await this.handle(receiver, message);
    }
  }

  private async handle(receiver: ServiceBusSessionReceiver, message: ServiceBusReceivedMessage): Promise<void> {
    // The JS SDK counts earlier deliveries (0 on the first); the delivery policy counts this one.
    const attempt = message.deliveryCount === undefined ? 1 : message.deliveryCount + 1;
    let outcome: HandlerOutcome;
    let event: CloudEvent | undefined;
    try {
      event = decodeCloudEvent(fromReceived(message));
    } catch (error) {
      outcome = { kind: "unparseable", error };
    }
    if (event !== undefined) {
      try {
        await this.handler(event, { subscription: this.spec.subscription, attempt });
        outcome = { kind: "handled" };
      } catch (error) {
        outcome = { kind: "failed", error };
      }
    }
    const verdict = decideDelivery(outcome!, attempt, this.spec, this.deps.random);
    if (verdict.action === "ack") return receiver.completeMessage(message);
    if (verdict.action === "dead-letter") {
      const reason = verdict.reason.slice(0, MAX_REASON_LENGTH);
      return receiver.deadLetterMessage(message, {
        deadLetterReason: reason,
        deadLetterErrorDescription: reason,
        [ADAPTER_PROPERTIES.attempts]: attempt,
        [ADAPTER_PROPERTIES.deadLetteredAt]: new Date().toISOString(),
      });
    }
    // Abandon redelivers at once; the wait happens here, with the session (the order) held.
    await this.pause(verdict.delayMs);
    await receiver.abandonMessage(message);
  }

  /** Sleeps, cut short when the consumer closes. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const signal = this.abort.signal;
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done);
    });
  }
}
