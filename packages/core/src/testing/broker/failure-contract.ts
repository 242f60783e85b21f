import { expect, it } from "vitest";
import type { DeadLetter } from "../../ports/messaging.js";
import { testEvent, type ContractContext } from "./contract-context.js";

const permanent = (message: string): Error => Object.assign(new Error(message), { transient: false });

/** Failure guarantees: redelivery with backoff, dead letters, poison messages, replay, idempotent consumers. */
export function failureContract(ctx: ContractContext): void {
  const timeout = ctx.testTimeoutMs;
  const min = ctx.features.minRetryDelayMs;

  it("redelivers a message whose handler throws, counting attempts", async () => {
    const { publisher, subscriber } = ctx.broker();
    const spec = ctx.spec();
    const attempts: number[] = [];
    await subscriber.subscribe(spec, async (_message, delivery) => {
      attempts.push(delivery.attempt);
      if (delivery.attempt < 3) throw new Error("not yet");
    });
    await publisher.publish(spec.topic, [testEvent()]);
    await ctx.until(() => attempts.length === 3, "3 deliveries");
    expect(attempts).toEqual([1, 2, 3]);
  }, timeout);

  it.skipIf(!ctx.features.backoff)("waits longer before each redelivery (exponential backoff within jitter)", async () => {
    const { publisher, subscriber } = ctx.broker();
    const spec = ctx.spec({ retry: { minDelayMs: min, maxDelayMs: min * 100 }, maxDeliveries: 10 });
    const times: number[] = [];
    await subscriber.subscribe(spec, async (_message, delivery) => {
      times.push(performance.now());
      if (delivery.attempt < 4) throw new Error("still failing");
    });
    await publisher.publish(spec.topic, [testEvent()]);
    await ctx.until(() => times.length === 4, "4 deliveries");
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
    // Jitter keeps at least half of min * 2^(n-1); timers may fire a millisecond early.
    gaps.forEach((gap, n) => expect(gap).toBeGreaterThanOrEqual((min * 2 ** n) / 2 - 2));
    // Non-decreasing, allowing one minimum delay of scheduling noise on the earlier gap.
    gaps.slice(1).forEach((gap, n) => expect(gap).toBeGreaterThanOrEqual((gaps[n] ?? 0) - min));
  }, timeout);

  it("dead-letters a message after maxDeliveries with reason and attempts, and keeps delivering others", async () => {
    const { publisher, subscriber, deadLetters } = ctx.broker();
    const spec = ctx.spec({ maxDeliveries: 3 });
    const poison = testEvent({ data: { poison: true } });
    const poisonAttempts: number[] = [];
    const good = new Set<string>();
    await subscriber.subscribe(spec, async (message, delivery) => {
      if (message.id !== poison.id) return void good.add(message.id);
      poisonAttempts.push(delivery.attempt);
      throw new Error("kitchen printer on fire");
    });
    const before = [testEvent(), testEvent()];
    await publisher.publish(spec.topic, [poison, ...before]);
    let letters: DeadLetter[] = [];
    await ctx.until(async () => (letters = await deadLetters.list(spec.subscription)).length === 1, "a dead letter");
    const [letter] = letters;
    expect(letter?.message).toEqual(poison);
    expect(letter?.subscription).toBe(spec.subscription);
    expect(letter?.attempts).toBe(3);
    // One reason format on every broker (see DEAD_LETTER_REASON).
    expect(letter?.reason).toBe("failed 3 deliveries: kitchen printer on fire");
    expect(Number.isNaN(Date.parse(letter?.deadLetteredAt ?? ""))).toBe(false);
    expect(poisonAttempts).toEqual([1, 2, 3]);
    const after = testEvent();
    await publisher.publish(spec.topic, [after]);
    await ctx.until(() => good.size === 3, "messages around the dead letter");
    expect([...good].sort()).toEqual([...before, after].map((e) => e.id).sort());
  }, timeout);

  it("dead-letters at once when the handler's error is not transient", async () => {
    const { publisher, subscriber, deadLetters } = ctx.broker();
    const spec = ctx.spec();
    const event = testEvent();
    let calls = 0;
    await subscriber.subscribe(spec, async () => {
      calls += 1;
      throw permanent("order references an unknown restaurant");
    });
    await publisher.publish(spec.topic, [event]);
    let letters: DeadLetter[] = [];
    await ctx.until(async () => (letters = await deadLetters.list(spec.subscription)).length === 1, "a dead letter");
    expect(letters[0]?.message?.id).toBe(event.id);
    expect(letters[0]?.attempts).toBe(1);
    expect(letters[0]?.reason).toBe("rejected: order references an unknown restaurant");
    expect(calls).toBe(1);
  }, timeout);

  it("refuses a subscription spec no broker could honour, and keeps serving valid ones", async () => {
    const { publisher, subscriber } = ctx.broker();
    const handled: string[] = [];
    const handler = async (message: { id: string }): Promise<void> => void handled.push(message.id);
    const { topic } = ctx.spec();
    const invalid = [{ maxDeliveries: 0 }, { concurrency: 1.5 }, { retry: { minDelayMs: 10, maxDelayMs: 1 } }];
    for (const overrides of invalid) {
      const spec = ctx.spec({ topic, ...overrides });
      await expect(subscriber.subscribe(spec, handler)).rejects.toThrow(spec.subscription);
    }
    await subscriber.subscribe(ctx.spec({ topic }), handler);
    const event = testEvent();
    await publisher.publish(topic, [event]);
    await ctx.until(() => handled.length === 1, "the delivery to the valid subscription");
    expect(handled).toEqual([event.id]);
  }, timeout);

  it("lists dead letters oldest first and honours the limit", async () => {
    const { publisher, subscriber, deadLetters } = ctx.broker();
    const spec = ctx.spec();
    await subscriber.subscribe(spec, async (message) => {
      throw permanent(`cannot handle ${message.id}`);
    });
    const [first, second] = [testEvent(), testEvent()];
    const listed = async (): Promise<string[]> => (await deadLetters.list(spec.subscription)).map((d) => d.message?.id ?? "");
    await publisher.publish(spec.topic, [first]);
    await ctx.until(async () => (await listed()).length === 1, "the first dead letter");
    await publisher.publish(spec.topic, [second]);
    await ctx.until(async () => (await listed()).length === 2, "the second dead letter");
    expect(await listed()).toEqual([first.id, second.id]);
    const limited = await deadLetters.list(spec.subscription, { limit: 1 });
    expect(limited.map((d) => d.message?.id)).toEqual([first.id]);
  }, timeout);

  it("dead-letters an unparseable message at once without calling the handler", async () => {
    const broker = ctx.broker();
    const spec = ctx.spec();
    const handled: string[] = [];
    await broker.subscriber.subscribe(spec, async (message) => void handled.push(message.id));
    await broker.publishRaw(spec.topic, { attributes: { specversion: "1.0", id: "garbled" }, body: "{not json" });
    let letters: DeadLetter[] = [];
    await ctx.until(async () => (letters = await broker.deadLetters.list(spec.subscription)).length === 1, "a dead letter");
    expect(letters[0]).toMatchObject({ subscription: spec.subscription, message: null, attempts: 1 });
    expect(letters[0]?.raw.body).toBe("{not json");
    expect(letters[0]?.reason).toMatch(/^unparseable: \S/);
    const fine = testEvent();
    await broker.publisher.publish(spec.topic, [fine]);
    await ctx.until(() => handled.length === 1, "the next valid message");
    expect(handled).toEqual([fine.id]);
  }, timeout);

  it.skipIf(!ctx.features.replay)("replays a dead letter to its own subscription only, as a fresh delivery", async () => {
    const { publisher, subscriber, deadLetters } = ctx.broker();
    const { topic, subscription } = ctx.spec();
    let rejecting = true;
    const replayed: number[] = [];
    const other: string[] = [];
    await subscriber.subscribe(ctx.spec({ topic, subscription }), async (_message, delivery) => {
      if (rejecting) throw permanent("menu not loaded yet");
      replayed.push(delivery.attempt);
    });
    await subscriber.subscribe(ctx.spec({ topic }), async (message) => void other.push(message.id));
    const event = testEvent();
    await publisher.publish(topic, [event]);
    let letters: DeadLetter[] = [];
    await ctx.until(async () => (letters = await deadLetters.list(subscription)).length === 1, "a dead letter");
    await ctx.until(() => other.length === 1, "the other subscription's delivery");
    rejecting = false;
    const id = letters[0]?.id ?? "";
    expect(await deadLetters.replay(id)).toBe(true);
    await ctx.until(() => replayed.length === 1, "the replayed delivery");
    expect(replayed).toEqual([1]);
    expect(await deadLetters.list(subscription)).toEqual([]);
    expect(await deadLetters.replay(id)).toBe(false);
    expect(await deadLetters.replay("999999")).toBe(false);
    expect(other).toEqual([event.id]);
  }, timeout);

  it("ends with every message processed exactly once by an idempotent consumer despite failures", async () => {
    const { publisher, subscriber } = ctx.broker();
    const spec = ctx.spec({ maxDeliveries: 10, concurrency: 4 });
    const inbox = new Set<string>();
    const effects = new Map<string, number>();
    const acked = new Set<string>();
    let deliveries = 0;
    await subscriber.subscribe(spec, async (message) => {
      deliveries += 1;
      const nth = deliveries;
      if (nth <= 2) throw new Error("failing before the transaction");
      if (!inbox.has(message.id)) {
        // Effect and inbox row commit together, as in one database transaction.
        inbox.add(message.id);
        effects.set(message.id, (effects.get(message.id) ?? 0) + 1);
      }
      if (nth % 5 === 0) throw new Error("failing after the commit, before the ack");
      acked.add(message.id);
    });
    const events = Array.from({ length: 20 }, (_, n) => testEvent({ data: { n } }));
    await publisher.publish(spec.topic, events);
    await ctx.until(() => acked.size === events.length, "every message acknowledged");
    expect([...effects.keys()].sort()).toEqual(events.map((e) => e.id).sort());
    expect([...effects.values()].every((count) => count === 1)).toBe(true);
  }, timeout);
}
