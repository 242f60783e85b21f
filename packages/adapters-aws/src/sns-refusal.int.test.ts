import { OutboxRelay, SYSTEM_PRINCIPAL, hasMessageSizeLimit, silentLogger } from "@tiffin/core";
import { InMemoryUnitOfWork } from "@tiffin/core/memory";
import { testEvent, uniqueName } from "@tiffin/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import { AwsBroker, ensureTopology } from "./aws-broker.js";
import { useFauxqs } from "./test-support/fauxqs.js";

const fauxqs = useFauxqs();
const brokers: AwsBroker[] = [];
afterEach(async () => {
  await Promise.all(brokers.splice(0).map((broker) => broker.close()));
});

describe("a message over SNS's 256 KiB in the outbox, on fauxqs", () => {
  it("is set aside with SNS's reason; every other order is published; its order's later event waits", async () => {
    const spec = { topic: uniqueName("t"), subscription: uniqueName("s") };
    const { queues } = await ensureTopology(fauxqs.config(), { topics: [spec.topic], subscriptions: [spec] });
    const broker = new AwsBroker(fauxqs.config());
    brokers.push(broker);
    const big = testEvent({ subject: "order-big", data: { lines: "x".repeat(300 * 1024) } });
    const bigLater = testEvent({ subject: "order-big", type: "order.cancelled" });
    const small = [1, 2, 3].map((n) => testEvent({ subject: `order-${n}` }));
    const uow = new InMemoryUnitOfWork();
    await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.outbox.append(spec.topic, [small[0]!, big, small[1]!, bigLater, small[2]!]));

    expect(hasMessageSizeLimit(broker.publisher) && broker.publisher.maxMessageBytes).toBe(262_144);
    expect(broker.publisher.messageBytes(big)).toBeGreaterThan(262_144);
    const relay = new OutboxRelay(uow, broker.publisher, silentLogger, { relayId: "relay-1" });
    expect(await relay.drain()).toBe(4);

    const waiting = (fauxqs.server().inspectQueue(queues[spec.subscription]?.queue ?? "")?.messages.ready ?? []).map(
      (m) => m.messageAttributes.id?.StringValue,
    );
    expect(waiting.sort()).toEqual(small.map((m) => m.id).sort());
    const aside = await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.outbox.setAsideRecords());
    expect(aside.map((r) => r.message.id)).toEqual([big.id]);
    expect(aside[0]?.reason).toMatch(/^refused by the broker: message .* bytes with its attributes; SNS accepts at most 262144$/);
    expect(await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.outbox.pending())).toBe(1);
  });
});
