import { describe, expect, it } from "vitest";
import { assignCourier, cancel, confirm } from "../../domain/order.js";
import type { LatLng } from "../../domain/geo.js";
import type { TransactionStores } from "../../ports/unit-of-work.js";
import { type StoreHarnessFactory, asSystem, uid, useHarness } from "./harness.js";
import { advanceOrder, northOf, randomPoint, sampleCourier, seedCourier, seedOrder, seedRestaurant } from "./samples.js";

const AT = "2026-03-01T12:00:00.000Z";

/** Dispatch's two steps: couriers near a point in the sample city (positions from AT on), then who of them may take an order. */
const nearby = (tx: TransactionStores, search: { point: LatLng; radiusKm: number; exclude?: readonly string[]; limit: number }) =>
  tx.locator.nearest({ ...search, city: "berlin", freshSince: AT }).then((found) => tx.locator.candidates(found));

/** CourierDirectory and CourierLocator: profiles, availability, positions, and the nearby search with load. */
export function describeCouriersContract(name: string, factory: StoreHarnessFactory): void {
  describe(`${name}: CourierDirectory and CourierLocator contract`, () => {
    const harness = useHarness(factory);

    it("stores a courier and changes availability and position; unknown couriers answer false", async () => {
      const { uow } = harness();
      const courier = await seedCourier(uow);
      expect(await asSystem(uow, (tx) => tx.couriers.get(courier.id))).toEqual(courier);
      const position = { lat: 48.8566, lng: 2.3522 };
      expect(await asSystem(uow, (tx) => tx.couriers.setAvailability(courier.id, false))).toBe(true);
      expect(await asSystem(uow, (tx) => tx.couriers.setPosition(courier.id, position, AT))).toBe("recorded");
      expect(await asSystem(uow, (tx) => tx.couriers.get(courier.id))).toEqual({ ...courier, available: false, position, positionAt: AT });
      const missing = uid("courier");
      expect(await asSystem(uow, (tx) => tx.couriers.setAvailability(missing, true))).toBe(false);
      expect(await asSystem(uow, (tx) => tx.couriers.setPosition(missing, position, AT))).toBe("unknown");
      expect(await asSystem(uow, (tx) => tx.couriers.get(missing))).toBeNull();
      await asSystem(uow, (tx) => tx.couriers.upsert({ ...courier, name: "Renamed" }));
      expect(await asSystem(uow, (tx) => tx.couriers.get(courier.id))).toMatchObject({ name: "Renamed" });
    });

    it("lists couriers by city and active flag in id order, a page at a time", async () => {
      const { uow } = harness();
      const city = uid("city");
      const [a, b, c] = [await seedCourier(uow, { id: uid("c-a"), city }), await seedCourier(uow, { id: uid("c-b"), city }), await seedCourier(uow, { city, active: false })];
      await seedCourier(uow);
      const ids = (list: { id: string }[]) => list.map((x) => x.id);
      const all = await asSystem(uow, (tx) => tx.couriers.list({ city, limit: 10 }));
      expect(ids(all)).toEqual([a.id, b.id, c.id].sort());
      expect(ids(await asSystem(uow, (tx) => tx.couriers.list({ city, active: true, limit: 10 })))).toEqual([a.id, b.id].sort());
      expect(ids(await asSystem(uow, (tx) => tx.couriers.list({ city, active: false, limit: 10 })))).toEqual([c.id]);
      const first = await asSystem(uow, (tx) => tx.couriers.list({ city, limit: 2 }));
      const rest = await asSystem(uow, (tx) => tx.couriers.list({ city, limit: 2, after: first.at(-1)?.id ?? "" }));
      expect([...ids(first), ...ids(rest)]).toEqual(ids(all));
      expect(all.find((x) => x.id === a.id)).toEqual(a);
    });

    it("never offers a deactivated courier, and reactivation brings them back", async () => {
      const { uow } = harness();
      const centre = randomPoint();
      const courier = await seedCourier(uow, { position: northOf(centre, 1), positionAt: AT });
      const found = async () => (await asSystem(uow, (tx) => nearby(tx, { point: centre, radiusKm: 2, limit: 100 }))).map((c) => c.courierId);
      expect(await found()).toContain(courier.id);
      expect(await asSystem(uow, (tx) => tx.couriers.setActive(courier.id, false))).toBe(true);
      expect(await found()).not.toContain(courier.id);
      expect(await asSystem(uow, (tx) => tx.couriers.get(courier.id))).toMatchObject({ active: false, available: true });
      await asSystem(uow, (tx) => tx.couriers.setActive(courier.id, true));
      expect(await found()).toContain(courier.id);
      expect(await asSystem(uow, (tx) => tx.couriers.setActive(uid("courier"), false))).toBe(false);
    });

    it("lets a courier create and update their own profile, and only theirs", async () => {
      const { uow } = harness();
      const courier = { ...sampleCourier(), id: uid("courier") };
      const self = { role: "courier" as const, id: courier.id };
      await uow.run(self, (tx) => tx.couriers.upsert(courier));
      await uow.run(self, (tx) => tx.couriers.upsert({ ...courier, vehicle: "scooter", speedKmh: 25 }));
      expect(await asSystem(uow, (tx) => tx.couriers.get(courier.id))).toMatchObject({ vehicle: "scooter", speedKmh: 25 });
      await expect(uow.run(self, (tx) => tx.couriers.upsert({ ...courier, id: uid("courier") }))).rejects.toThrow();
    });

    it("finds available couriers with a position within the radius, minus the excluded ones", async () => {
      const { uow } = harness();
      const centre = randomPoint();
      const near = await seedCourier(uow, { position: northOf(centre, 1), positionAt: AT });
      const far = await seedCourier(uow, { position: northOf(centre, 3), positionAt: AT });
      const excluded = await seedCourier(uow, { position: northOf(centre, 1), positionAt: AT });
      const off = await seedCourier(uow, { position: northOf(centre, 1), positionAt: AT, available: false });
      const lost = await seedCourier(uow, { position: null });
      const outside = await seedCourier(uow, { position: northOf(centre, 8), positionAt: AT });
      const mine = new Set([near, far, excluded, off, lost, outside].map((c) => c.id));
      const search = { point: centre, radiusKm: 5, exclude: [excluded.id], limit: 100 };
      const found = (await asSystem(uow, (tx) => nearby(tx, search))).filter((c) => mine.has(c.courierId));
      expect(new Set(found.map((c) => c.courierId))).toEqual(new Set([near.id, far.id]));
      expect(found.find((c) => c.courierId === near.id)).toEqual({
        courierId: near.id,
        position: near.position,
        speedKmh: near.speedKmh,
        activeOrders: 0,
        ratePerKm: near.ratePerKm,
      });
      const limited = await asSystem(uow, (tx) => tx.locator.nearest({ point: centre, radiusKm: 5, limit: 1, city: "berlin", freshSince: AT }));
      expect(limited).toHaveLength(1);
    });

    it("counts a courier's assigned orders that are neither delivered nor cancelled as its load", async () => {
      const { uow } = harness();
      const centre = randomPoint();
      const courier = await seedCourier(uow, { ...sampleCourier(), position: northOf(centre, 1), positionAt: AT });
      const restaurantId = (await seedRestaurant(uow)).id;
      const orders = [await seedOrder(uow, { restaurantId }), await seedOrder(uow, { restaurantId }), await seedOrder(uow, { restaurantId })];
      for (const order of orders) {
        await advanceOrder(uow, order.id, (o) => confirm(o, AT), (o) => assignCourier(o, courier.id, uid("offer"), AT));
      }
      await advanceOrder(uow, orders[2]?.id ?? "", (o) => cancel(o, "customer_cancelled", AT));
      const found = await asSystem(uow, (tx) => nearby(tx, { point: centre, radiusKm: 2, limit: 100 }));
      expect(found.find((c) => c.courierId === courier.id)?.activeOrders).toBe(2);
    });

    it("leaves out a courier who holds an open offer (they may hold one at a time), and takes them back once it is answered", async () => {
      const { uow } = harness();
      const centre = randomPoint();
      const [busy, free] = [await seedCourier(uow, { ...sampleCourier(), position: northOf(centre, 1), positionAt: AT }), await seedCourier(uow, { ...sampleCourier(), position: northOf(centre, 1.5), positionAt: AT })];
      const order = await seedOrder(uow);
      const offer = await asSystem(uow, (tx) => tx.offers.open({ id: uid("offer"), orderId: order.id, restaurantId: order.restaurantId, courierId: busy.id, expiresAt: AT, createdAt: AT }));
      const ids = async () => (await asSystem(uow, (tx) => nearby(tx, { point: centre, radiusKm: 2, limit: 100 }))).map((c) => c.courierId).sort();
      expect(await ids()).toEqual([free.id]);
      if (!offer.ok) throw new Error("the offer did not open");
      await asSystem(uow, (tx) => tx.offers.resolve(offer.value.id, offer.value.token, "declined", new Date(AT)));
      expect(await ids()).toEqual([busy.id, free.id].sort());
    });
  });
}
