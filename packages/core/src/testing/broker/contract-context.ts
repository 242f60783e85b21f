import { randomUUID } from "node:crypto";
import { afterEach, beforeEach } from "vitest";
import type { CloudEvent } from "../../messaging/cloud-event.js";
import type { MessageSubscriber, SubscriptionSpec } from "../../ports/messaging.js";
import type { BrokerFactory, BrokerFeatures, BrokerUnderTest } from "./broker-under-test.js";
import { waitFor } from "./wait-for.js";

/** What each contract test gets: a fresh broker, its own names, and bounded waits sized to the adapter. */
export interface ContractContext {
  readonly features: BrokerFeatures;
  /** Per-test timeout: room for several deliveries and retries on a slow adapter. */
  readonly testTimeoutMs: number;
  broker(): BrokerUnderTest;
  /** Closes the current subscriber and returns a restarted one (feature `persistent`). */
  restart(): Promise<MessageSubscriber>;
  /** A spec on a new topic and subscription with retry delays the adapter can honour quickly. */
  spec(overrides?: Partial<SubscriptionSpec>): SubscriptionSpec;
  until(condition: () => boolean | Promise<boolean>, what: string): Promise<void>;
}

export function useBroker(factory: BrokerFactory, features: BrokerFeatures): ContractContext {
  const deliveryTimeoutMs = features.deliveryTimeoutMs ?? 5_000;
  let current: BrokerUnderTest | undefined;
  const restarted: MessageSubscriber[] = [];

  beforeEach(async () => {
    current = await factory();
  });
  afterEach(async () => {
    await Promise.all(restarted.splice(0).map((subscriber) => subscriber.close()));
    await current?.close();
    current = undefined;
  });

  const broker = (): BrokerUnderTest => {
    if (current === undefined) throw new Error("broker contract: no broker outside a test");
    return current;
  };
  return {
    features,
    testTimeoutMs: deliveryTimeoutMs * 4 + features.minRetryDelayMs * 16,
    broker,
    async restart() {
      const under = broker();
      if (under.restart === undefined) throw new Error("feature persistent needs BrokerUnderTest.restart");
      await under.subscriber.close();
      const { subscriber } = await under.restart();
      restarted.push(subscriber);
      return subscriber;
    },
    spec(overrides = {}) {
      const min = features.minRetryDelayMs;
      return {
        topic: uniqueName("t"),
        subscription: uniqueName("s"),
        retry: { minDelayMs: min, maxDelayMs: min * 8 },
        ...overrides,
      };
    },
    until: (condition, what) => waitFor(condition, { timeoutMs: deliveryTimeoutMs, what }),
  };
}

export const uniqueName = (prefix: string): string => `${prefix}-${randomUUID()}`;

/** A valid order event with a fresh id; override anything. */
export function testEvent(overrides: Partial<CloudEvent> = {}): CloudEvent {
  return {
    specversion: "1.0",
    id: randomUUID(),
    source: "tiffin/broker-contract",
    type: "order.placed",
    time: new Date().toISOString(),
    datacontenttype: "application/json",
    data: { n: 0 },
    ...overrides,
  };
}

/** A promise the test opens when it wants blocked handlers to finish. */
export function gate(): { readonly wait: Promise<void>; open(): void } {
  let open = (): void => undefined;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open: () => open() };
}

/** Simulated handler work, so concurrency is observable (not an assertion on time). */
export const work = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
