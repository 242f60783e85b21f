import { describe, expect, it } from "vitest";
import type { Offer } from "../../ports/offer-store.js";
import type { UnitOfWork } from "../../ports/unit-of-work.js";
import { type StoreHarnessFactory, asSystem, uid, useHarness } from "./harness.js";
import { seedCourier, seedOrder, seedRestaurant } from "./samples.js";

const NOW = new Date("2026-03-01T12:00:00.000Z");
const later = (ms: number): Date => new Date(NOW.getTime() + ms);

/** Creates `orders` orders of one restaurant and `couriers` couriers, as the offers' foreign keys need. */
async function world(
  uow: UnitOfWork,
  orders: number,
  couriers: number,
): Promise<{ orderIds: string[]; courierIds: string[]; restaurantId: string }> {
  const restaurantId = (await seedRestaurant(uow)).id;
  const orderIds: string[] = [];
  for (let i = 0; i < orders; i++) orderIds.push((await seedOrder(uow, { restaurantId })).id);
  const courierIds: string[] = [];
  for (let i = 0; i < couriers; i++) courierIds.push((await seedCourier(uow)).id);
  return { orderIds, courierIds, restaurantId };
}

const openOffer = (uow: UnitOfWork, orderId: string, restaurantId: string, courierId: string, ttlMs = 10_000) =>
  asSystem(uow, (tx) =>
    tx.offers.open({
      id: uid("offer"),
      orderId,
      restaurantId,
      courierId,
      createdAt: NOW.toISOString(),
      expiresAt: later(ttlMs).toISOString(),
    }),
  );

async function opened(uow: UnitOfWork, orderId: string, restaurantId: string, courierId: string, ttlMs = 10_000): Promise<Offer> {
  const result = await openOffer(uow, orderId, restaurantId, courierId, ttlMs);
  if (!result.ok) throw new Error(`offer not opened: ${result.error.code}`);
  return result.value;
}

/** OfferStore: monotonic fencing tokens, one open offer per courier and per order, compare-and-set resolution. */
export function describeOfferStoreContract(name: string, factory: StoreHarnessFactory): void {
  describe(`${name}: OfferStore contract`, () => {
    const harness = useHarness(factory);

    it("opens offers with strictly increasing tokens and lists an order's offers oldest first", async () => {
      const { uow } = harness();
      const w = await world(uow, 2, 3);
      const [o1, o2] = w.orderIds as [string, string];
      const [c1, c2, c3] = w.courierIds as [string, string, string];
      const first = await opened(uow, o1, w.restaurantId, c1);
      expect(first).toMatchObject({ orderId: o1, courierId: c1, status: "open" });
      expect((await asSystem(uow, (tx) => tx.offers.resolve(first.id, first.token, "declined", NOW))).ok).toBe(true);
      const second = await opened(uow, o1, w.restaurantId, c2);
      const third = await opened(uow, o2, w.restaurantId, c3);
      expect(second.token).toBeGreaterThan(first.token);
      expect(third.token).toBeGreaterThan(second.token);
      expect(await asSystem(uow, (tx) => tx.offers.get(second.id))).toEqual(second);
      const history = await asSystem(uow, (tx) => tx.offers.forOrder(o1));
      expect(history.map((o) => [o.id, o.status])).toEqual([[first.id, "declined"], [second.id, "open"]]);
      expect(await asSystem(uow, (tx) => tx.offers.openForCourier(c2))).toEqual([second]);
    });

    it("refuses a second open offer for a courier (OFFER_COURIER_BUSY) or an order (OFFER_ORDER_BUSY)", async () => {
      const { uow } = harness();
      const w = await world(uow, 2, 2);
      const [o1, o2] = w.orderIds as [string, string];
      const [c1, c2] = w.courierIds as [string, string];
      await opened(uow, o1, w.restaurantId, c1);
      expect(await openOffer(uow, o2, w.restaurantId, c1)).toMatchObject({ ok: false, error: { code: "OFFER_COURIER_BUSY" } });
      expect(await openOffer(uow, o1, w.restaurantId, c2)).toMatchObject({ ok: false, error: { code: "OFFER_ORDER_BUSY" } });
      expect(await asSystem(uow, (tx) => tx.offers.forOrder(o2))).toEqual([]);
    });

    it("keeps one open offer per courier and per order under concurrent opens", async () => {
      const { uow } = harness();
      const w = await world(uow, 4, 4);
      const [o1] = w.orderIds as [string];
      const [c1] = w.courierIds as [string];
      const sameCourier = await Promise.all(w.orderIds.map((o) => openOffer(uow, o, w.restaurantId, c1)));
      expect(sameCourier.filter((r) => r.ok)).toHaveLength(1);
      expect(sameCourier.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(Array(3).fill("OFFER_COURIER_BUSY"));
      const busyOrder = sameCourier.find((r) => r.ok)?.value.orderId;
      const freeOrder = w.orderIds.find((o) => o !== busyOrder) ?? o1;
      const others = w.courierIds.filter((c) => c !== c1);
      const sameOrder = await Promise.all(others.map((c) => openOffer(uow, freeOrder, w.restaurantId, c)));
      expect(sameOrder.filter((r) => r.ok)).toHaveLength(1);
      expect(sameOrder.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(Array(2).fill("OFFER_ORDER_BUSY"));
    });

    it("accepts only with the current token before expiry; anything else is OFFER_STALE", async () => {
      const { uow } = harness();
      const w = await world(uow, 1, 1);
      const offer = await opened(uow, w.orderIds[0] ?? "", w.restaurantId, w.courierIds[0] ?? "");
      const resolve = (token: number, to: "accepted" | "declined", at: Date) =>
        asSystem(uow, (tx) => tx.offers.resolve(offer.id, token, to, at));
      expect(await resolve(offer.token + 1, "accepted", NOW)).toMatchObject({ ok: false, error: { code: "OFFER_STALE" } });
      expect(await resolve(offer.token, "accepted", later(10_001))).toMatchObject({ ok: false, error: { code: "OFFER_STALE" } });
      expect(await resolve(offer.token, "accepted", later(9_000))).toMatchObject({
        ok: true,
        value: { status: "accepted", token: offer.token },
      });
      expect(await resolve(offer.token, "accepted", later(9_000))).toMatchObject({ ok: false, error: { code: "OFFER_STALE" } });
      expect(await resolve(offer.token, "declined", NOW)).toMatchObject({ ok: false, error: { code: "OFFER_STALE" } });
      expect(await asSystem(uow, (tx) => tx.offers.get(offer.id))).toMatchObject({ status: "accepted" });
    });

    it("lets an expired offer be marked expired, freeing courier and order for a new offer", async () => {
      const { uow } = harness();
      const w = await world(uow, 1, 1);
      const [order, courier] = [w.orderIds[0] ?? "", w.courierIds[0] ?? ""];
      const offer = await opened(uow, order, w.restaurantId, courier, 1_000);
      expect(await asSystem(uow, (tx) => tx.offers.resolve(offer.id, offer.token, "expired", later(1_000)))).toMatchObject({
        ok: true,
        value: { status: "expired" },
      });
      const next = await opened(uow, order, w.restaurantId, courier);
      expect(next.token).toBeGreaterThan(offer.token);
      expect(await asSystem(uow, (tx) => tx.offers.resolve(offer.id, offer.token, "accepted", NOW))).toMatchObject({
        ok: false,
        error: { code: "OFFER_STALE" },
      });
    });

    it("answers OFFER_NOT_FOUND for an unknown offer", async () => {
      const { uow } = harness();
      expect(await asSystem(uow, (tx) => tx.offers.resolve(uid("offer"), 1, "accepted", NOW))).toMatchObject({
        ok: false,
        error: { code: "OFFER_NOT_FOUND" },
      });
      expect(await asSystem(uow, (tx) => tx.offers.get(uid("offer")))).toBeNull();
    });

    it("lets exactly one of two concurrent accepts of one offer succeed", async () => {
      const { uow } = harness();
      const w = await world(uow, 1, 1);
      const offer = await opened(uow, w.orderIds[0] ?? "", w.restaurantId, w.courierIds[0] ?? "");
      const results = await Promise.all(
        [0, 1].map(() => asSystem(uow, (tx) => tx.offers.resolve(offer.id, offer.token, "accepted", NOW))),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(["OFFER_STALE"]);
    });
  });
}
