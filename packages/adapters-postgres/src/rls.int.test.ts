import { type Order, type Principal, SYSTEM_PRINCIPAL, assignCourier, confirm } from "@tiffin/core";
import { TEST_META, advanceOrder, sampleView, seedCourier, seedOrder, seedRestaurant, uid } from "@tiffin/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "./sql/database.js";
import { DRIVERS, dropTestDatabase, openTestDatabase } from "./test-support/test-database.js";
import { PostgresUnitOfWork } from "./unit-of-work.js";

const AT = "2026-03-01T12:00:00.000Z";
const TABLES = ["orders", "order_views", "offers", "sagas", "outbox", "inbox", "idempotency_keys", "timers", "restaurants", "menu_versions", "menu_stock", "portion_reservations", "couriers", "courier_locations"];

for (const { driver, available } of DRIVERS) {
  describe.skipIf(!available)(`row-level security (${driver})`, () => {
    let db: Database;
    let uow: PostgresUnitOfWork;
    let restaurantA: string;
    let restaurantB: string;
    let courier: string;
    let otherCourier: string;
    let orderA: Order; // customer A's, restaurant A, assigned to `courier`
    let orderB: Order; // customer B's, restaurant B
    const customerA = uid("customer");
    const customerB = uid("customer");
    const as = (role: Principal["role"], id: string, restaurantId?: string): Principal =>
      restaurantId ? { role, id, restaurantId } : { role, id };

    beforeAll(async () => {
      db = await openTestDatabase(driver);
      uow = new PostgresUnitOfWork(db);
      [restaurantA, restaurantB] = [(await seedRestaurant(uow)).id, (await seedRestaurant(uow)).id];
      [courier, otherCourier] = [(await seedCourier(uow)).id, (await seedCourier(uow)).id];
      const placedA = await seedOrder(uow, { restaurantId: restaurantA, customerId: customerA });
      orderB = await seedOrder(uow, { restaurantId: restaurantB, customerId: customerB });
      orderA = await advanceOrder(uow, placedA.id, (o) => confirm(o, AT), (o) => assignCourier(o, courier, "offer-1", AT));
      await uow.run(SYSTEM_PRINCIPAL, async (tx) => {
        await tx.views.saveView(sampleView(orderA));
        await tx.views.saveView(sampleView(orderB));
        for (const [order, courierId] of [[orderA, courier], [orderB, otherCourier]] as const) {
          await tx.offers.open({ id: uid("offer"), orderId: order.id, restaurantId: order.restaurantId, courierId, expiresAt: AT, createdAt: AT });
        }
      });
    });
    afterAll(async () => {
      if (db) await dropTestDatabase(db);
    });

    it("a deliberately unfiltered SELECT * FROM order_views as the API role returns only the principal's rows", async () => {
      const rows = await db.transaction(as("customer", customerA), (tx) => tx.query<{ id: string }>("SELECT * FROM order_views"));
      expect(rows.map((r) => r.id)).toEqual([orderA.id]);
      const staff = await db.transaction(as("restaurant", uid("staff"), restaurantB), (tx) => tx.query<{ id: string }>("SELECT * FROM order_views"));
      expect(staff.map((r) => r.id)).toEqual([orderB.id]);
    });

    it("the API role sees zero rows of every tenant table when no principal is set", async () => {
      for (const table of TABLES) {
        const rows = await db.transaction(null, async (tx) => {
          await tx.exec("SET LOCAL ROLE tiffin_api");
          return tx.query(`SELECT * FROM ${table}`);
        });
        expect({ table, rows: rows.length }).toEqual({ table, rows: 0 });
      }
      // The owner role (as the system sees it) does have rows, so the zeros above are the policies' doing.
      expect((await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.load(orderA.id)))?.id).toBe(orderA.id);
    });

    it("customer A cannot read, list or update customer B's order", async () => {
      const a = as("customer", customerA);
      expect(await uow.run(a, (tx) => tx.orders.load(orderB.id))).toBeNull();
      expect(await uow.run(a, (tx) => tx.views.getView(orderB.id))).toBeNull();
      expect((await uow.run(a, (tx) => tx.views.history(customerB, { limit: 10 }))).items).toEqual([]);
      expect((await uow.run(a, (tx) => tx.views.history(customerA, { limit: 10 }))).items.map((v) => v.id)).toEqual([orderA.id]);
      const update = await uow.run(a, (tx) => tx.orders.update(orderB.id, (o) => confirm(o, AT), TEST_META));
      expect(update).toMatchObject({ ok: false, error: { code: "ORDER_NOT_FOUND" } });
      const raw = await db.transaction(a, (tx) => tx.query("UPDATE orders SET status = 'cancelled' WHERE id = $1 RETURNING id", [orderB.id]));
      expect(raw).toEqual([]);
      expect(await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.load(orderB.id))).toEqual(orderB);
    });

    it("a customer cannot insert an order in another customer's name", async () => {
      const insert = db.transaction(as("customer", customerA), (tx) =>
        tx.query("INSERT INTO orders (id, customer_id, restaurant_id, status, version, data) VALUES ($1, $2, $3, 'placed', 1, '{}')", [
          uid("order"),
          customerB,
          restaurantA,
        ]),
      );
      await expect(insert).rejects.toMatchObject({ name: "InfrastructureError", sqlState: "42501", transient: false });
    });

    it("restaurant staff see only their restaurant's orders on the board", async () => {
      const staffA = as("restaurant", uid("staff"), restaurantA);
      expect((await uow.run(staffA, (tx) => tx.views.board(restaurantA))).map((v) => v.id)).toEqual([orderA.id]);
      expect(await uow.run(staffA, (tx) => tx.views.board(restaurantB))).toEqual([]);
      expect(await uow.run(staffA, (tx) => tx.orders.load(orderB.id))).toBeNull();
    });

    it("a courier sees only their offers and the orders assigned to them", async () => {
      const me = as("courier", courier);
      const offers = await db.transaction(me, (tx) => tx.query<{ courier_id: string }>("SELECT * FROM offers"));
      expect(offers.map((o) => o.courier_id)).toEqual([courier]);
      expect((await uow.run(me, (tx) => tx.orders.load(orderA.id)))?.id).toBe(orderA.id);
      expect(await uow.run(me, (tx) => tx.orders.load(orderB.id))).toBeNull();
      const orders = await db.transaction(me, (tx) => tx.query<{ id: string }>("SELECT * FROM orders"));
      expect(orders.map((o) => o.id)).toEqual([orderA.id]);
      expect(await uow.run(me, (tx) => tx.offers.openForCourier(otherCourier))).toEqual([]);
      expect(await uow.run(me, (tx) => tx.couriers.get(otherCourier))).toBeNull();
    });

    it("takes principal ids verbatim, quotes and backslashes included, with nothing left on the session", async () => {
      const odd = "x'); SELECT set_config('app.principal_role', 'admin', false); --\\'";
      const settings = await db.transaction(as("customer", odd), (tx) =>
        tx.query<{ role: string; id: string }>("SELECT current_setting('app.principal_role') AS role, current_setting('app.principal_id') AS id"),
      );
      expect(settings).toEqual([{ role: "customer", id: odd }]);
      const after = await db.transaction(null, (tx) =>
        tx.query<{ role: string | null }>("SELECT nullif(current_setting('app.principal_role', true), '') AS role"),
      );
      expect(after).toEqual([{ role: null }]);
    });

    it("timers and the inbox, which hold other tenants' order ids, are invisible to every non-admin API principal", async () => {
      const timerKey = `kitchen.ready:${orderB.id}`;
      await uow.run(SYSTEM_PRINCIPAL, async (tx) => {
        await tx.timers.schedule({ id: uid("timer"), kind: "kitchen.ready", key: timerKey, dueAt: AT, payload: { orderId: orderB.id } });
        await tx.inbox.record("projection", `message-of-${orderB.id}`);
      });
      const principals = [as("customer", customerA), as("restaurant", uid("staff"), restaurantA), as("courier", courier)];
      for (const principal of principals) {
        for (const table of ["timers", "inbox"]) {
          const rows = await db.transaction(principal, (tx) => tx.query(`SELECT * FROM ${table}`));
          expect({ role: principal.role, table, rows: rows.length }).toEqual({ role: principal.role, table, rows: 0 });
        }
        const touched = await db.transaction(principal, (tx) => tx.query("DELETE FROM timers WHERE key = $1 RETURNING id", [timerKey]));
        expect(touched).toEqual([]);
      }
      expect(await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.timers.hasPending(timerKey))).toBe(true);
    });

    it("restaurant staff still schedule their kitchen's timers, a repeated schedule included", async () => {
      const staffA = as("restaurant", uid("staff"), restaurantA);
      const timer = { id: uid("timer"), kind: "kitchen.ready", key: `kitchen.ready:${orderA.id}`, dueAt: AT, payload: { orderId: orderA.id } };
      await uow.run(staffA, (tx) => tx.timers.schedule(timer));
      await uow.run(staffA, (tx) => tx.timers.schedule(timer));
      expect(await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.timers.hasPending(timer.key))).toBe(true);
    });

    it("an admin sees every tenant's rows", async () => {
      const rows = await db.transaction(as("admin", uid("admin")), (tx) => tx.query<{ id: string }>("SELECT id FROM order_views ORDER BY id"));
      expect(rows.map((r) => r.id).sort()).toEqual([orderA.id, orderB.id].sort());
    });
  });
}
