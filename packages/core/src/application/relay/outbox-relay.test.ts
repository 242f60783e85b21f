import { describe, expect, it } from "vitest";
import { confirm, startPreparing } from "../../domain/order.js";
import type { CloudEvent } from "../../messaging/cloud-event.js";
import type { MessagePublisher } from "../../ports/messaging.js";
import { SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import { silentLogger } from "../../ports/logger.js";
import { InMemoryUnitOfWork } from "../../memory/in-memory-unit-of-work.js";
import { TEST_META, samplePlacement } from "../../testing/stores/samples.js";
import { InfrastructureError } from "../../ports/infrastructure.errors.js";
import { MessageRefusedError } from "../../ports/message-refused.errors.js";
import { OutboxRelay, type SetAside } from "./outbox-relay.js";

/** Records what reached the broker, yielding between batches so relays interleave. */
class RecordingPublisher implements MessagePublisher {
  readonly published: CloudEvent[] = [];
  async publish(_topic: string, messages: readonly CloudEvent[]): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    this.published.push(...messages);
  }
  async close(): Promise<void> {}
}

describe("outbox relay", () => {
  it("publishes every record once, in per-order sequence, with three relays at once", async () => {
    const uow = new InMemoryUnitOfWork();
    const orderIds: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      const placed = samplePlacement({ at: "2026-01-01T12:00:00.000Z" });
      orderIds.push(placed.order.id);
      await uow.run(SYSTEM_PRINCIPAL, async (tx) => {
        await tx.orders.create(placed, TEST_META);
        await tx.orders.update(placed.order.id, (o) => confirm(o, "2026-01-01T12:01:00.000Z"), TEST_META);
        await tx.orders.update(placed.order.id, (o) => startPreparing(o, "2026-01-01T12:02:00.000Z"), TEST_META);
      });
    }
    const publisher = new RecordingPublisher();
    const relays = [1, 2, 3].map((n) => new OutboxRelay(uow, publisher, silentLogger, { relayId: `relay-${n}`, batchSize: 5 }));

    await Promise.all(relays.map((relay) => relay.drain()));

    expect(publisher.published).toHaveLength(36);
    expect(new Set(publisher.published.map((m) => m.id)).size).toBe(36);
    for (const id of orderIds) {
      expect(publisher.published.filter((m) => m.subject === id).map((m) => m.type)).toEqual([
        "order.placed",
        "order.confirmed",
        "order.preparing",
      ]);
    }
    expect(await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.outbox.pending())).toBe(0);
  });

  it("releases a batch the broker refused, so it is published later", async () => {
    const uow = new InMemoryUnitOfWork();
    await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.create(samplePlacement(), TEST_META));
    const good = new RecordingPublisher();
    const broken: MessagePublisher = { publish: () => Promise.reject(new Error("broker down")), close: async () => {} };

    await expect(new OutboxRelay(uow, broken, silentLogger, { relayId: "a" }).relayOnce()).rejects.toThrow("broker down");
    expect(await new OutboxRelay(uow, good, silentLogger, { relayId: "b" }).drain()).toBe(1);
    expect(good.published.map((m) => m.type)).toEqual(["order.placed"]);
  });

  it("sets nothing aside for a permanent fault of the broker as a whole (access denied): every record waits for a fix", async () => {
    const uow = new InMemoryUnitOfWork();
    await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.create(samplePlacement(), TEST_META));
    const denied: MessagePublisher = {
      publish: () => Promise.reject(new InfrastructureError("INFRA_MISCONFIGURED", "access denied to the topic", { transient: false })),
      close: async () => {},
    };
    await expect(new OutboxRelay(uow, denied, silentLogger, { relayId: "a" }).relayOnce()).rejects.toThrow("access denied");
    expect(await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.outbox.setAsideRecords())).toEqual([]);
    expect(await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.outbox.pending())).toBe(1);
  });

  it("sets aside only the refused record, tells onSetAside, and publishes the rest on the next claim", async () => {
    const uow = new InMemoryUnitOfWork();
    const placements = [samplePlacement(), samplePlacement(), samplePlacement()];
    for (const placed of placements) await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.create(placed, TEST_META));
    const refusedId = `${placements[1]!.order.id}:1:0`;
    const good = new RecordingPublisher();
    const picky: MessagePublisher = {
      publish: async (topic, messages) => {
        if (messages.some((m) => m.id === refusedId)) throw new MessageRefusedError([refusedId], "too large");
        await good.publish(topic, messages);
      },
      close: async () => {},
    };
    const setAside: SetAside[] = [];
    const relay = new OutboxRelay(uow, picky, silentLogger, { relayId: "a", onSetAside: (record) => void setAside.push(record) });
    expect(await relay.drain()).toBe(3);
    expect(good.published.map((m) => m.subject)).toEqual([placements[0]!.order.id, placements[2]!.order.id]);
    expect(setAside).toMatchObject([{ key: placements[1]!.order.id, messageId: refusedId, reason: "refused by the broker: too large" }]);
    expect((await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.outbox.setAsideRecords())).map((r) => r.message.id)).toEqual([refusedId]);
  });
});
