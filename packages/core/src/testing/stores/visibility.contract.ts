import { describe, expect, it } from "vitest";
import { assignCourier, confirm } from "../../domain/order.js";
import type { Principal } from "../../ports/principal.js";
import type { StoreFeatures, StoreHarnessFactory } from "./harness.js";
import { asSystem, uid, useHarness } from "./harness.js";
import { TEST_META, advanceOrder, samplePlacement, sampleSaga, sampleView, seedCourier, seedOrder, seedRestaurant } from "./samples.js";

const AT = "2026-03-01T12:00:00.000Z";
const customer = (): Principal => ({ role: "customer", id: uid("customer") });
const staff = (restaurantId: string): Principal => ({ role: "restaurant", id: uid("staff"), restaurantId });
const courier = (id: string): Principal => ({ role: "courier", id });
const ADMIN: Principal = { role: "admin", id: "admin-1" };

/** Row-level visibility: each principal sees exactly its own tenant's rows. */
export function describeVisibilityContract(name: string, factory: StoreHarnessFactory, features: StoreFeatures): void {
  describe(`${name}: visibility contract (row-level security)`, () => {
    const harness = useHarness(factory);
    const rls = it.skipIf(!features.rowLevelSecurity);

    rls("shows a customer their own orders and views, never another customer's", async () => {
      const { uow } = harness();
      const [a, b] = [customer(), customer()];
      const order = await seedOrder(uow, { customerId: a.id });
      await asSystem(uow, (tx) => tx.views.saveView(sampleView(order)));
      expect(await uow.run(a, (tx) => tx.orders.load(order.id))).toEqual(order);
      expect(await uow.run(a, (tx) => tx.views.getView(order.id))).toMatchObject({ id: order.id });
      expect((await uow.run(a, (tx) => tx.views.history(a.id, { limit: 10 }))).items.map((v) => v.id)).toEqual([order.id]);
      expect(await uow.run(b, (tx) => tx.orders.load(order.id))).toBeNull();
      expect(await uow.run(b, (tx) => tx.views.getView(order.id))).toBeNull();
      expect((await uow.run(b, (tx) => tx.views.history(a.id, { limit: 10 }))).items).toEqual([]);
      const update = await uow.run(b, (tx) => tx.orders.update(order.id, (o) => confirm(o, AT), TEST_META));
      expect(update).toMatchObject({ ok: false, error: { code: "ORDER_NOT_FOUND" } });
      expect(await asSystem(uow, (tx) => tx.orders.load(order.id))).toEqual(order);
    });

    rls("lets a customer place an order for themself only", async () => {
      const { uow } = harness();
      const [a, b] = [customer(), customer()];
      const restaurantId = (await seedRestaurant(uow)).id;
      const own = samplePlacement({ customerId: a.id, restaurantId });
      await uow.run(a, (tx) => tx.orders.create(own, TEST_META));
      expect(await uow.run(a, (tx) => tx.orders.load(own.order.id))).toEqual(own.order);
      const forged = samplePlacement({ customerId: a.id, restaurantId });
      await expect(uow.run(b, (tx) => tx.orders.create(forged, TEST_META))).rejects.toThrow();
      expect(await asSystem(uow, (tx) => tx.orders.load(forged.order.id))).toBeNull();
    });

    rls("shows restaurant staff their restaurant's orders and board only", async () => {
      const { uow } = harness();
      const [r1, r2] = [await seedRestaurant(uow), await seedRestaurant(uow)];
      const order = await seedOrder(uow, { restaurantId: r1.id });
      await asSystem(uow, (tx) => tx.views.saveView(sampleView(order)));
      const [own, other] = [staff(r1.id), staff(r2.id)];
      expect(await uow.run(own, (tx) => tx.orders.load(order.id))).toEqual(order);
      expect((await uow.run(own, (tx) => tx.views.board(r1.id))).map((v) => v.id)).toEqual([order.id]);
      expect(await uow.run(other, (tx) => tx.orders.load(order.id))).toBeNull();
      expect(await uow.run(other, (tx) => tx.views.getView(order.id))).toBeNull();
      expect(await uow.run(other, (tx) => tx.views.board(r1.id))).toEqual([]);
    });

    rls("shows a courier their own offers and profile, and orders only once assigned to them", async () => {
      const { uow } = harness();
      const [c1, c2] = [await seedCourier(uow), await seedCourier(uow)];
      const order = await seedOrder(uow);
      const opened = await asSystem(uow, (tx) =>
        tx.offers.open({
          id: uid("offer"),
          orderId: order.id,
          restaurantId: order.restaurantId,
          courierId: c1.id,
          createdAt: AT,
          expiresAt: "2999-01-01T00:00:00.000Z",
        }),
      );
      if (!opened.ok) throw new Error(opened.error.code);
      const offer = opened.value;
      expect(await uow.run(courier(c1.id), (tx) => tx.offers.get(offer.id))).toEqual(offer);
      expect(await uow.run(courier(c1.id), (tx) => tx.offers.openForCourier(c1.id))).toEqual([offer]);
      expect(await uow.run(courier(c1.id), (tx) => tx.couriers.get(c1.id))).toEqual(c1);
      expect(await uow.run(courier(c2.id), (tx) => tx.offers.get(offer.id))).toBeNull();
      expect(await uow.run(courier(c2.id), (tx) => tx.offers.openForCourier(c1.id))).toEqual([]);
      expect(await uow.run(courier(c2.id), (tx) => tx.couriers.get(c1.id))).toBeNull();
      expect(await uow.run(courier(c2.id), (tx) => tx.offers.resolve(offer.id, offer.token, "accepted", new Date(AT)))).toMatchObject({
        ok: false,
        error: { code: "OFFER_NOT_FOUND" },
      });
      expect(await uow.run(courier(c1.id), (tx) => tx.orders.load(order.id))).toBeNull();
      const assigned = await advanceOrder(uow, order.id, (o) => confirm(o, AT), (o) => assignCourier(o, c1.id, offer.id, AT));
      await asSystem(uow, (tx) => tx.views.saveView(sampleView(assigned)));
      expect(await uow.run(courier(c1.id), (tx) => tx.orders.load(order.id))).toEqual(assigned);
      expect(await uow.run(courier(c1.id), (tx) => tx.views.getView(order.id))).toMatchObject({ courierId: c1.id });
      expect(await uow.run(courier(c2.id), (tx) => tx.orders.load(order.id))).toBeNull();
      expect(await uow.run(courier(c2.id), (tx) => tx.views.getView(order.id))).toBeNull();
    });

    rls("shows an admin every tenant's orders, views, offers and sagas", async () => {
      const { uow } = harness();
      const c = await seedCourier(uow);
      const order = await seedOrder(uow);
      await asSystem(uow, async (tx) => {
        await tx.views.saveView(sampleView(order));
        await tx.sagas.save(sampleSaga(order));
      });
      const opened = await asSystem(uow, (tx) =>
        tx.offers.open({ id: uid("offer"), orderId: order.id, restaurantId: order.restaurantId, courierId: c.id, createdAt: AT, expiresAt: AT }),
      );
      await uow.run(ADMIN, async (tx) => {
        expect(await tx.orders.load(order.id)).toEqual(order);
        expect(await tx.views.getView(order.id)).toMatchObject({ id: order.id });
        expect((await tx.views.history(order.customerId, { limit: 10 })).items).toHaveLength(1);
        expect((await tx.views.board(order.restaurantId)).map((v) => v.id)).toEqual([order.id]);
        expect(await tx.offers.get(opened.ok ? opened.value.id : "")).toMatchObject({ courierId: c.id });
        expect(await tx.sagas.load(order.id)).toMatchObject({ orderId: order.id });
        expect(await tx.couriers.get(c.id)).toEqual(c);
      });
    });

    rls("lets every principal read the catalog", async () => {
      const { uow } = harness();
      const restaurant = await seedRestaurant(uow);
      for (const p of [customer(), staff(uid("restaurant")), courier(uid("courier")), ADMIN]) {
        expect(await uow.run(p, (tx) => tx.catalog.restaurant(restaurant.id))).toEqual(restaurant);
        expect(await uow.run(p, (tx) => tx.catalog.menu(restaurant.id))).toMatchObject({ restaurantId: restaurant.id });
      }
    });
  });
}
