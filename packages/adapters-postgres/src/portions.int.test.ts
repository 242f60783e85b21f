import { SYSTEM_PRINCIPAL, createTiffin } from "@tiffin/core";
import { InMemoryProviderStore, RandomIds, systemClock } from "@tiffin/core/memory";
import { seedRestaurant, uid } from "@tiffin/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "./sql/database.js";
import { TEST_DATABASE_URL, dropTestDatabase, openTestDatabase } from "./test-support/test-database.js";
import { PostgresUnitOfWork } from "./unit-of-work.js";

// The anchor of the catalog issue, on a real server: PGlite runs one transaction at a time, so it cannot race.
describe.skipIf(!TEST_DATABASE_URL)("portions under concurrency on a real PostgreSQL server (TIFFIN_TEST_DATABASE_URL)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase("pg", { maxConnections: 20 });
  });
  afterAll(async () => {
    if (db) await dropTestDatabase(db);
  });

  it("50 concurrent orders against 10 portions: exactly 10 placed, 40 MENU_ITEM_SOLD_OUT, never below zero; a cancelled portion sells again", async () => {
    const uow = new PostgresUnitOfWork(db);
    const tiffin = createTiffin({ uow, clock: systemClock, ids: new RandomIds(), ledger: new InMemoryProviderStore() });
    const restaurant = await seedRestaurant(uow);
    const staff = { role: "restaurant" as const, id: uid("staff"), restaurantId: restaurant.id };
    const stocked = await tiffin.send(staff, { type: "SetMenuItemStock", restaurantId: restaurant.id, itemId: "pad-thai", portions: 10 });
    expect(stocked.ok).toBe(true);
    const order = { restaurantId: restaurant.id, items: [{ itemId: "pad-thai", quantity: 1 }], deliveryAddress: { lat: 52.53, lng: 13.41 } };
    const place = (customerId: string) => tiffin.send({ role: "customer", id: customerId }, { type: "PlaceOrder", idempotencyKey: uid("key"), order });

    const customers = Array.from({ length: 50 }, () => uid("customer"));
    const outcomes = await Promise.all(customers.map(place));
    const placed = outcomes.flatMap((o, n) => (o.ok ? [{ customerId: customers[n]!, orderId: o.value.view.id }] : []));
    const refused = outcomes.flatMap((o) => (o.ok ? [] : [o.error.code]));
    expect(placed).toHaveLength(10);
    expect(refused).toEqual(Array.from({ length: 40 }, () => "MENU_ITEM_SOLD_OUT"));

    const stock = async () =>
      db.transaction(SYSTEM_PRINCIPAL, (tx) =>
        tx.query<{ portions_left: number; reserved: string }>(
          `SELECT s.portions_left, (SELECT coalesce(sum(quantity), 0)::text FROM portion_reservations r WHERE r.restaurant_id = s.restaurant_id) AS reserved
           FROM menu_stock s WHERE s.restaurant_id = $1 AND s.item_id = 'pad-thai'`,
          [restaurant.id],
        ),
      );
    expect(await stock()).toEqual([{ portions_left: 0, reserved: "10" }]);
    const orders = await db.transaction(SYSTEM_PRINCIPAL, (tx) => tx.query("SELECT id FROM orders WHERE restaurant_id = $1", [restaurant.id]));
    expect(orders).toHaveLength(10);

    const [first] = placed;
    const cancelled = await tiffin.send({ role: "customer", id: first!.customerId }, { type: "CancelOrder", orderId: first!.orderId });
    expect(cancelled.ok && cancelled.value.status).toBe("cancelled");
    expect(await stock()).toEqual([{ portions_left: 1, reserved: "9" }]);
    const [late, later] = [await place(uid("customer")), await place(uid("customer"))];
    expect(late.ok).toBe(true);
    expect(!later.ok && later.error.code).toBe("MENU_ITEM_SOLD_OUT");
    expect(await stock()).toEqual([{ portions_left: 0, reserved: "10" }]);
  });
});
