import { describe, expect, it } from "vitest";
import { cancel, confirm } from "../../domain/order.js";
import { domainError, err } from "../../domain/result.js";
import { orderEventId } from "../../messaging/domain-event-envelope.js";
import { ORDER_EVENTS_TOPIC } from "../../messaging/topology.js";
import { type StoreHarnessFactory, asSystem, takeOutbox, useHarness } from "./harness.js";
import { TEST_META, samplePlacement, seedOrder } from "./samples.js";

const AT = "2026-03-01T12:00:00.000Z";

/** OrderStore: create and load, compare-and-set updates, and order rows and outbox rows written together. */
export function describeOrderStoreContract(name: string, factory: StoreHarnessFactory): void {
  describe(`${name}: OrderStore contract`, () => {
    const harness = useHarness(factory);

    it("creates an order, loads it back and writes order.placed to the outbox with its derived id", async () => {
      const { uow } = harness();
      const order = await seedOrder(uow);
      expect(await asSystem(uow, (tx) => tx.orders.load(order.id))).toEqual(order);
      const records = await takeOutbox(uow, [order.id]);
      expect(records.map((r) => [r.topic, r.message.id, r.message.type, r.message.subject])).toEqual([
        [ORDER_EVENTS_TOPIC, orderEventId(order.id, 1, 0), "order.placed", order.id],
      ]);
      expect(records[0]?.message.correlationid).toBe(TEST_META.correlationId);
    });

    it("refuses a second order with the same id with ORDER_ALREADY_EXISTS", async () => {
      const { uow } = harness();
      const order = await seedOrder(uow);
      const again = samplePlacement({ id: order.id, restaurantId: order.restaurantId });
      await expect(asSystem(uow, (tx) => tx.orders.create(again, TEST_META))).rejects.toMatchObject({ code: "ORDER_ALREADY_EXISTS" });
      expect(await asSystem(uow, (tx) => tx.orders.load(order.id))).toEqual(order);
      expect(await takeOutbox(uow, [order.id])).toHaveLength(1);
    });

    it("saves an update with the next version and appends its events after the earlier ones", async () => {
      const { uow } = harness();
      const order = await seedOrder(uow);
      const result = await asSystem(uow, (tx) => tx.orders.update(order.id, (o) => confirm(o, AT), TEST_META));
      expect(result).toMatchObject({ ok: true, value: { status: "confirmed", version: 2 } });
      expect(await asSystem(uow, (tx) => tx.orders.load(order.id))).toMatchObject({ status: "confirmed", version: 2, updatedAt: AT });
      const records = await takeOutbox(uow, [order.id]);
      expect(records.map((r) => r.message.id)).toEqual([orderEventId(order.id, 1, 0), orderEventId(order.id, 2, 0)]);
    });

    it("pages through the orders in a status not changed since a cutoff, by id", async () => {
      const { uow } = harness();
      const minutesAgo = (m: number): string => new Date(Date.now() - m * 60_000).toISOString();
      const old = [await seedOrder(uow, { at: minutesAgo(30) }), await seedOrder(uow, { at: minutesAgo(20) })];
      const fresh = await seedOrder(uow, { at: minutesAgo(1) });
      const moved = await seedOrder(uow, { at: minutesAgo(30) });
      await asSystem(uow, (tx) => tx.orders.update(moved.id, (o) => confirm(o, minutesAgo(25)), TEST_META));
      const mine = new Set([...old, fresh, moved].map((o) => o.id));
      const filter = { status: "placed" as const, updatedBefore: new Date(Date.now() - 5 * 60_000), limit: 100_000 };
      const stale = (await asSystem(uow, (tx) => tx.orders.stale(filter))).filter((o) => mine.has(o.id));
      const expected = old.map((o) => o.id).sort();
      expect(stale.map((o) => o.id)).toEqual(expected);
      const next = await asSystem(uow, (tx) => tx.orders.stale({ ...filter, afterId: expected[0] }));
      expect(next.filter((o) => mine.has(o.id)).map((o) => o.id)).toEqual([expected[1]]);
      const confirmed = await asSystem(uow, (tx) => tx.orders.stale({ ...filter, status: "confirmed" }));
      expect(confirmed.filter((o) => mine.has(o.id)).map((o) => o.id)).toEqual([moved.id]);
    });

    it("answers ORDER_NOT_FOUND for an unknown order", async () => {
      const { uow } = harness();
      const result = await asSystem(uow, (tx) => tx.orders.update("order-missing", (o) => confirm(o, AT), TEST_META));
      expect(result).toMatchObject({ ok: false, error: { code: "ORDER_NOT_FOUND" } });
      expect(await asSystem(uow, (tx) => tx.orders.load("order-missing"))).toBeNull();
    });

    it("returns the callback's domain error unchanged and writes nothing", async () => {
      const { uow } = harness();
      const order = await seedOrder(uow);
      const refusal = domainError("KITCHEN_CLOSED", "the kitchen is closed", { until: "18:00" });
      const result = await asSystem(uow, (tx) => tx.orders.update(order.id, () => err(refusal), TEST_META));
      expect(result).toEqual({ ok: false, error: refusal });
      expect(await asSystem(uow, (tx) => tx.orders.load(order.id))).toEqual(order);
      expect(await takeOutbox(uow, [order.id])).toHaveLength(1);
    });

    it("keeps neither the order nor its outbox rows when the callback throws", async () => {
      const { uow } = harness();
      const order = await seedOrder(uow);
      const boom = (): never => {
        throw new Error("bug in callback");
      };
      await expect(asSystem(uow, (tx) => tx.orders.update(order.id, boom, TEST_META))).rejects.toThrow("bug in callback");
      expect(await asSystem(uow, (tx) => tx.orders.load(order.id))).toEqual(order);
      expect(await takeOutbox(uow, [order.id])).toHaveLength(1);
    });

    it("keeps neither the order nor its outbox rows when the transaction rolls back after the update", async () => {
      const { uow } = harness();
      const order = await seedOrder(uow);
      const failed = asSystem(uow, async (tx) => {
        const result = await tx.orders.update(order.id, (o) => confirm(o, AT), TEST_META);
        expect(result.ok).toBe(true);
        throw new Error("later step failed");
      });
      await expect(failed).rejects.toThrow("later step failed");
      expect(await asSystem(uow, (tx) => tx.orders.load(order.id))).toEqual(order);
      expect(await takeOutbox(uow, [order.id])).toHaveLength(1);
    });

    it("throws OrderVersionConflictError for a change computed from a stale version, writing nothing", async () => {
      const { uow } = harness();
      const stale = await seedOrder(uow);
      await asSystem(uow, (tx) => tx.orders.update(stale.id, (o) => confirm(o, AT), TEST_META));
      const late = asSystem(uow, (tx) => tx.orders.update(stale.id, () => cancel(stale, "customer_cancelled", AT), TEST_META));
      await expect(late).rejects.toMatchObject({ name: "OrderVersionConflictError", code: "ORDER_VERSION_CONFLICT", transient: true });
      expect(await asSystem(uow, (tx) => tx.orders.load(stale.id))).toMatchObject({ status: "confirmed", version: 2 });
      expect((await takeOutbox(uow, [stale.id])).map((r) => r.message.type)).toEqual(["order.placed", "order.confirmed"]);
    });

    it("lets exactly one of two concurrent updates from the same version win; the other throws and writes nothing", async () => {
      const { uow } = harness();
      const v1 = await seedOrder(uow);
      const attempts = await Promise.allSettled([
        asSystem(uow, (tx) => tx.orders.update(v1.id, () => confirm(v1, AT), TEST_META)),
        asSystem(uow, (tx) => tx.orders.update(v1.id, () => cancel(v1, "customer_cancelled", AT), TEST_META)),
      ]);
      const won = attempts.filter((a) => a.status === "fulfilled");
      const lost = attempts.filter((a) => a.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost.map((a) => (a.reason as { code?: string }).code)).toEqual(["ORDER_VERSION_CONFLICT"]);
      const winner = won[0]?.status === "fulfilled" && won[0].value.ok ? won[0].value.value : null;
      expect(await asSystem(uow, (tx) => tx.orders.load(v1.id))).toEqual(winner);
      expect((await takeOutbox(uow, [v1.id])).map((r) => r.message.type)).toEqual([
        "order.placed",
        winner?.status === "confirmed" ? "order.confirmed" : "order.cancelled",
      ]);
    });

    it("serialises concurrent updates that each load the order: one confirm is saved, once", async () => {
      const { uow } = harness();
      const order = await seedOrder(uow);
      const attempts = await Promise.allSettled(
        Array.from({ length: 5 }, () => asSystem(uow, (tx) => tx.orders.update(order.id, (o) => confirm(o, AT), TEST_META))),
      );
      const saved = attempts.filter((a) => a.status === "fulfilled" && a.value.ok);
      const refused = attempts.filter((a) => a.status === "fulfilled" && !a.value.ok);
      const conflicts = attempts.filter((a) => a.status === "rejected" && (a.reason as { code?: string }).code === "ORDER_VERSION_CONFLICT");
      expect(saved).toHaveLength(1);
      expect(refused.length + conflicts.length).toBe(4);
      expect(await asSystem(uow, (tx) => tx.orders.load(order.id))).toMatchObject({ status: "confirmed", version: 2 });
      expect((await takeOutbox(uow, [order.id])).filter((r) => r.message.type === "order.confirmed")).toHaveLength(1);
    });
  });
}
