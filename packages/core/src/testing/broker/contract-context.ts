import { randomUUID } from "node:crypto";
import { afterEach, beforeEach } from "vitest";
import type { CloudEvent } from "../../messaging/cloud-event.js";
import type { MessagePublisher, MessageSubscriber, SubscriptionSpec } from "../../ports/messaging.js";
import { assertCloudEventsConformant } from "./cloud-events-sdk.js";
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
  const unconformant: Error[] = [];

  beforeEach(async () => {
    current = checkedByCloudEventsSdk(await factory(), unconformant);
  });
  afterEach(async () => {
    await Promise.all(restarted.splice(0).map((subscriber) => subscriber.close()));
    await current?.close();
    current = undefined;
    const found = unconformant.splice(0);
    if (found.length > 0) throw new AggregateError(found, `envelopes the CloudEvents SDK refuses: ${found.map((e) => e.message).join("; ")}`);
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
      const checked = checkedSubscriber(subscriber, unconformant);
      restarted.push(checked);
      return checked;
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

/**
 * Every envelope a contract test publishes must satisfy the CloudEvents SDK (publishing a refused one fails at
 * once), and so must every one a handler receives (collected, the test fails after it ends).
 */
function checkedByCloudEventsSdk(under: BrokerUnderTest, unconformant: Error[]): BrokerUnderTest {
  const restart = under.restart;
  const publisher: MessagePublisher = {
    publish: (topic, events) => {
      for (const event of events) assertCloudEventsConformant(event);
      return under.publisher.publish(topic, events);
    },
    close: () => under.publisher.close(),
  };
  return {
    publisher,
    subscriber: checkedSubscriber(under.subscriber, unconformant),
    deadLetters: under.deadLetters,
    ...(under.depth === undefined ? {} : { depth: under.depth }),
    publishRaw: (topic, message) => under.publishRaw(topic, message),
    ...(restart === undefined ? {} : { restart: () => restart.call(under) }),
    close: () => under.close(),
  };
}

function checkedSubscriber(inner: MessageSubscriber, unconformant: Error[]): MessageSubscriber {
  return {
    subscribe: (spec, handler) =>
      inner.subscribe(spec, (message, delivery) => {
        try {
          assertCloudEventsConformant(message);
        } catch (error) {
          unconformant.push(error as Error);
        }
        return handler(message, delivery);
      }),
    close: () => inner.close(),
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
