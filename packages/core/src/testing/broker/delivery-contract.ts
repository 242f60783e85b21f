import { expect, it } from "vitest";
import type { CloudEvent } from "../../messaging/cloud-event.js";
import { gate, testEvent, work, type ContractContext } from "./contract-context.js";

/** Delivery guarantees: every message arrives, fan-out, filters, competing consumers, concurrency, close. */
export function deliveryContract(ctx: ContractContext): void {
  const timeout = ctx.testTimeoutMs;

  it("delivers every published message", async () => {
    const { publisher, subscriber } = ctx.broker();
    const spec = ctx.spec();
    const seen = new Set<string>();
    await subscriber.subscribe(spec, async (message) => void seen.add(message.id));
    const events = Array.from({ length: 100 }, (_, n) => testEvent({ data: { n } }));
    await publisher.publish(spec.topic, events);
    await ctx.until(() => seen.size === events.length, "100 deliveries");
    expect([...seen].sort()).toEqual(events.map((e) => e.id).sort());
  }, timeout);

  it("fans every message out to each subscription of the topic", async () => {
    const { publisher, subscriber } = ctx.broker();
    const { topic } = ctx.spec();
    const seen = [new Set<string>(), new Set<string>(), new Set<string>()];
    for (const set of seen) {
      await subscriber.subscribe(ctx.spec({ topic }), async (message) => void set.add(message.id));
    }
    const events = Array.from({ length: 10 }, () => testEvent());
    await publisher.publish(topic, events);
    await ctx.until(() => seen.every((set) => set.size === events.length), "10 messages in each subscription");
    for (const set of seen) expect([...set].sort()).toEqual(events.map((e) => e.id).sort());
  }, timeout);

  it("delivers only the event types a subscription declares", async () => {
    const { publisher, subscriber } = ctx.broker();
    const { topic } = ctx.spec();
    const placedOnly: string[] = [];
    const all: string[] = [];
    await subscriber.subscribe(ctx.spec({ topic, eventTypes: ["order.placed"] }), async (m) => void placedOnly.push(m.type));
    await subscriber.subscribe(ctx.spec({ topic }), async (m) => void all.push(m.type));
    const types = ["order.placed", "order.confirmed", "order.cancelled", "order.placed"];
    await publisher.publish(topic, types.map((type) => testEvent({ type })));
    await ctx.until(() => all.length === types.length && placedOnly.length === 2, "filtered deliveries");
    expect(placedOnly).toEqual(["order.placed", "order.placed"]);
    expect([...all].sort()).toEqual([...types].sort());
  }, timeout);

  it("shares a subscription between competing consumers, never handling a message twice at once", async () => {
    const { publisher, subscriber } = ctx.broker();
    const spec = ctx.spec({ concurrency: 1 });
    const handledBy = new Map<string, number[]>();
    const inFlight = new Set<string>();
    let overlaps = 0;
    for (const consumer of [0, 1, 2]) {
      await subscriber.subscribe(spec, async (message) => {
        if (inFlight.has(message.id)) overlaps += 1;
        inFlight.add(message.id);
        await work(2);
        handledBy.set(message.id, [...(handledBy.get(message.id) ?? []), consumer]);
        inFlight.delete(message.id);
      });
    }
    const events = Array.from({ length: 30 }, () => testEvent());
    await publisher.publish(spec.topic, events);
    await ctx.until(() => handledBy.size === events.length, "30 messages handled");
    expect(overlaps).toBe(0);
    expect([...handledBy.values()].every((consumers) => consumers.length === 1)).toBe(true);
    expect(new Set([...handledBy.values()].flat()).size).toBeGreaterThan(1);
  }, timeout);

  it("runs at most `concurrency` handlers of a subscription at once", async () => {
    const { publisher, subscriber } = ctx.broker();
    const spec = ctx.spec({ concurrency: 3 });
    const release = gate();
    let running = 0;
    let peak = 0;
    let done = 0;
    await subscriber.subscribe(spec, async () => {
      running += 1;
      peak = Math.max(peak, running);
      await release.wait;
      running -= 1;
      done += 1;
    });
    await publisher.publish(spec.topic, Array.from({ length: 8 }, () => testEvent()));
    await ctx.until(() => running === 3, "3 handlers running");
    release.open();
    await ctx.until(() => done === 8, "8 messages handled");
    expect(peak).toBe(3);
  }, timeout);

  it("close stops new deliveries and waits for in-flight handlers; unhandled messages stay queued", async () => {
    const { publisher, subscriber } = ctx.broker();
    const spec = ctx.spec({ concurrency: 1 });
    const release = gate();
    const log: string[] = [];
    const first: string[] = [];
    const subscription = await subscriber.subscribe(spec, async (message) => {
      first.push(message.id);
      await release.wait;
      log.push("handler finished");
    });
    const [m1, m2] = [testEvent(), testEvent()];
    await publisher.publish(spec.topic, [m1]);
    await ctx.until(() => first.length === 1, "first delivery");
    const closing = subscription.close().then(() => void log.push("closed"));
    await publisher.publish(spec.topic, [m2]);
    await work(20);
    expect(log).toEqual([]);
    release.open();
    await closing;
    expect(log).toEqual(["handler finished", "closed"]);
    const second: string[] = [];
    await subscriber.subscribe(spec, async (message) => void second.push(message.id));
    await ctx.until(() => second.length === 1, "the queued message after resubscribing");
    expect(first).toEqual([m1.id]);
    expect(second).toEqual([m2.id]);
  }, timeout);

  it.skipIf(!ctx.features.persistent)("a restarted subscriber receives what was published while it was down", async () => {
    const { publisher, subscriber } = ctx.broker();
    const spec = ctx.spec();
    const before: string[] = [];
    await subscriber.subscribe(spec, async (message) => void before.push(message.id));
    await publisher.publish(spec.topic, [testEvent()]);
    await ctx.until(() => before.length === 1, "delivery before the restart");
    const restarted = await ctx.restart();
    const whileDown = Array.from({ length: 5 }, () => testEvent());
    await publisher.publish(spec.topic, whileDown);
    const after = new Set<string>();
    await restarted.subscribe(spec, async (message) => void after.add(message.id));
    await ctx.until(() => after.size === whileDown.length, "messages published while down");
    expect([...after].sort()).toEqual(whileDown.map((e) => e.id).sort());
  }, timeout);

  it.skipIf(!ctx.features.orderingKeys)("handles each subject's messages one at a time in publish order, retries included", async () => {
    const { publisher, subscriber } = ctx.broker();
    const spec = ctx.spec({ concurrency: 5, maxDeliveries: 5 });
    const keys = ["order-a", "order-b", "order-c"];
    const events: CloudEvent[] = [];
    for (let n = 0; n < 8; n += 1) for (const subject of keys) events.push(testEvent({ subject, data: { n } }));
    const handled = new Map<string, number[]>(keys.map((key) => [key, []]));
    const busy = new Set<string>();
    let overlaps = 0;
    await subscriber.subscribe(spec, async (message, delivery) => {
      const key = message.subject ?? "";
      if (busy.has(key)) overlaps += 1;
      busy.add(key);
      await work(1);
      busy.delete(key);
      const { n } = message.data as { n: number };
      if (n % 3 === 1 && delivery.attempt === 1) throw new Error("first delivery of every third message fails");
      handled.get(key)?.push(n);
    });
    await publisher.publish(spec.topic, events);
    await ctx.until(() => [...handled.values()].every((ns) => ns.length === 8), "every message handled");
    expect(overlaps).toBe(0);
    for (const key of keys) expect(handled.get(key)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  }, timeout);

  it.skipIf(!ctx.features.queueDepth)("reports how many messages wait in a subscription", async () => {
    const { publisher, subscriber, depth } = ctx.broker();
    if (depth === undefined) throw new Error("feature queueDepth needs BrokerUnderTest.depth");
    const spec = ctx.spec();
    await (await subscriber.subscribe(spec, async () => undefined)).close();
    await publisher.publish(spec.topic, Array.from({ length: 5 }, () => testEvent()));
    await ctx.until(async () => (await depth.depth(spec.subscription)) === 5, "depth 5");
    let handled = 0;
    await subscriber.subscribe(spec, async () => void (handled += 1));
    await ctx.until(() => handled === 5, "5 deliveries");
    await ctx.until(async () => (await depth.depth(spec.subscription)) === 0, "depth 0");
  }, timeout);
}
