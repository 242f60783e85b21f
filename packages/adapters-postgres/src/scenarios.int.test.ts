import { AutoKitchen, ManualKitchen } from "@tiffin/core";
import { Scenario, type ScenarioOptions, ledgerTotals, netByParty } from "@tiffin/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "./sql/database.js";
import { DRIVERS, dropTestDatabase, openTestDatabase } from "./test-support/test-database.js";
import { PostgresPublisher } from "./transport/publisher.js";
import { PostgresSubscriber } from "./transport/subscriber.js";
import { PostgresUnitOfWork } from "./unit-of-work.js";

/**
 * The application's scenarios with everything but the simulated providers on Postgres: stores with row-level
 * security (the facade runs use cases as customers, staff and couriers), outbox, relay and the Postgres transport.
 */
for (const { driver, available } of DRIVERS) {
  describe.skipIf(!available)(`scenarios on Postgres (${driver})`, () => {
    let db: Database | undefined;
    let subscriber: PostgresSubscriber | undefined;
    let scenario: Scenario | undefined;
    afterEach(async () => {
      await scenario?.dispose();
      await subscriber?.close();
      if (db) await dropTestDatabase(db);
      [scenario, subscriber, db] = [undefined, undefined, undefined];
    });

    /** A scenario on a fresh schema: its seeds use fixed ids, so scenarios cannot share one. */
    async function start(options: ScenarioOptions = {}): Promise<Scenario> {
      const database = await openTestDatabase(driver);
      db = database;
      const pgSubscriber = new PostgresSubscriber(database, { pollIntervalMs: 100 });
      subscriber = pgSubscriber;
      scenario = await new Scenario({
        ...options,
        // The scenario's clock stands in for the server's, so moving it makes timers due.
        unitOfWork: (_inner, clock) => new PostgresUnitOfWork(database, { clock }),
        publisher: () => new PostgresPublisher(database),
        subscriber: () => pgSubscriber,
      }).start();
      return scenario;
    }

    it("takes an order from placed to delivered; one charge and two payouts", async () => {
      const s = await start();
      const placed = await s.placeOrder();
      await s.deliver(placed.id);
      await s.waitForSaga(placed.id, ["completed"], 15_000);
      const view = await s.waitForView(placed.id, "paid out", (v) => v.paymentStatus === "paid_out", 15_000);
      expect(view.timeline.map((t) => t.status)).toEqual(["placed", "confirmed", "preparing", "ready", "picked_up", "delivered"]);
      expect(ledgerTotals(await s.ledger(placed.id))).toEqual({ "charge:customer": 2500, "payout:courier": expect.any(Number), "payout:restaurant": expect.any(Number) });
      const asOther = await s.tiffin.ask(s.customer("customer-2"), { type: "GetOrder", orderId: placed.id });
      expect(!asOther.ok && asOther.error.code).toBe("NOT_FOUND");
    });

    it("refuses an address beyond the restaurant's delivery radius with DELIVERY_OUT_OF_RANGE and stores nothing", async () => {
      const s = await start();
      const customer = s.customer();
      const capeTown = { restaurantId: s.restaurant.id, items: [{ itemId: "pad-thai", quantity: 2 }], deliveryAddress: { lat: -33.9, lng: 18.4 } };
      const refused = await s.tiffin.send(customer, { type: "PlaceOrder", idempotencyKey: "far-1", order: capeTown });
      expect(!refused.ok && refused.error).toMatchObject({ code: "DELIVERY_OUT_OF_RANGE", details: { restaurantId: s.restaurant.id, radiusKm: 10 } });
      const narrowed = await s.tiffin.send(s.staff(), { type: "UpdateRestaurant", restaurantId: s.restaurant.id, change: { deliveryRadiusKm: 0.5 } });
      expect(narrowed.ok && narrowed.value.deliveryRadiusKm).toBe(0.5);
      const near = await s.tiffin.send(customer, { type: "PlaceOrder", idempotencyKey: "near-1", order: s.orderBody() });
      expect(!near.ok && near.error.code).toBe("DELIVERY_OUT_OF_RANGE");
      const history = await s.tiffin.ask(customer, { type: "OrderHistory" });
      expect(history.ok && history.value.items).toEqual([]);
      expect(await db!.query("SELECT id FROM orders")).toEqual([]);
      expect(await db!.query("SELECT position FROM outbox")).toEqual([]);
    });

    it("refunds the customer when the restaurant rejects the order", async () => {
      const s = await start({ kitchen: new AutoKitchen({ rejectionRate: 1 }) });
      const placed = await s.placeOrder();
      await s.waitForSaga(placed.id, ["compensated"], 15_000);
      const view = await s.waitForView(placed.id, "refunded", (v) => v.paymentStatus === "refunded", 15_000);
      expect(view.status).toBe("cancelled");
      expect(netByParty(await s.ledger(placed.id))).toEqual({ customer: 0, restaurant: 0, courier: 0 });
    });

    it("lets staff accept a paid order and see it on their board; strangers see nothing", async () => {
      const s = await start({ kitchen: new ManualKitchen() });
      const placed = await s.placeOrder();
      await s.waitForView(placed.id, "paid", (v) => v.paymentStatus === "captured", 15_000);
      const board = await s.tiffin.ask(s.staff(), { type: "RestaurantBoard", restaurantId: s.restaurant.id });
      expect(board.ok && board.value.map((v) => v.id)).toEqual([placed.id]);
      const target = { restaurantId: s.restaurant.id, orderId: placed.id };
      const stranger = await s.tiffin.send({ role: "restaurant", id: "x", restaurantId: "restaurant-9" }, { type: "AcceptOrder", ...target });
      expect(!stranger.ok && stranger.error.code).toBe("NOT_FOUND");
      const accepted = await s.tiffin.send(s.staff(), { type: "AcceptOrder", ...target });
      expect(accepted.ok && accepted.value.status).toBe("preparing");
    });

    it("makes one order and one charge of 20 concurrent requests with one Idempotency-Key", async () => {
      const s = await start();
      const customer = s.customer();
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => s.tiffin.send(customer, { type: "PlaceOrder", idempotencyKey: "one-key", order: s.orderBody() })),
      );
      const ids = new Set(answers.map((a) => (a.ok ? a.value.view.id : a.error.code)));
      expect(ids.size).toBe(1);
      expect(answers.filter((a) => a.ok && !a.value.replayed)).toHaveLength(1);
      const [orderId] = [...ids] as [string];
      await s.waitForView(orderId, "charged", (v) => v.paymentStatus === "captured" || v.paymentStatus === "paid_out", 15_000);
      expect((await s.ledger(orderId)).filter((e) => e.kind === "charge")).toHaveLength(1);
    });
  });
}
