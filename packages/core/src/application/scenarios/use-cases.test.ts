import { afterEach, describe, expect, it } from "vitest";
import { ManualKitchen } from "../kitchen/kitchens.js";
import { waitFor } from "../../testing/broker/wait-for.js";
import { Scenario, ledgerTotals } from "../../testing/scenario.js";

let scenario: Scenario;
afterEach(async () => scenario?.dispose());

describe("placing an order", () => {
  it("answers a repeat with the first result, and a reused key with IDEMPOTENCY_KEY_REUSED", async () => {
    scenario = await new Scenario().start();
    const customer = scenario.customer();
    const first = await scenario.tiffin.send(customer, { type: "PlaceOrder", idempotencyKey: "k1", order: scenario.orderBody() });
    const again = await scenario.tiffin.send(customer, { type: "PlaceOrder", idempotencyKey: "k1", order: scenario.orderBody() });
    const other = { ...(scenario.orderBody() as object), items: [{ itemId: "spring-rolls", quantity: 1 }] };
    const reused = await scenario.tiffin.send(customer, { type: "PlaceOrder", idempotencyKey: "k1", order: other });

    expect(first.ok && first.value.replayed).toBe(false);
    expect(again.ok && again.value).toEqual({ view: first.ok && first.value.view, replayed: true });
    expect(!reused.ok && reused.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    // The key is per customer: another customer may use the same one.
    const someoneElse = await scenario.tiffin.send(scenario.customer("customer-2"), { type: "PlaceOrder", idempotencyKey: "k1", order: other });
    expect(someoneElse.ok && someoneElse.value.replayed).toBe(false);
  });

  it("prices on the server and rejects client amounts, bad carts and callers who are not customers", async () => {
    scenario = await new Scenario().start();
    const customer = scenario.customer();
    const send = (order: unknown, key = "k") => scenario.tiffin.send(customer, { type: "PlaceOrder", idempotencyKey: key, order });
    const body = scenario.orderBody() as Record<string, unknown>;

    const placed = await send({ ...body, items: [{ itemId: "lunch", quantity: 1 }, { itemId: "pad-thai", quantity: 1, options: ["hot"] }] }, "combo");
    expect(placed.ok && placed.value.view.total).toEqual({ amount: 1650 + 1300, currency: "EUR" });

    const codes = await Promise.all([
      send({ ...body, total: { amount: 1, currency: "EUR" } }, "a"),
      send({ ...body, items: [{ itemId: "nope", quantity: 1 }] }, "b"),
      send({ ...body, items: [{ itemId: "green-curry", quantity: 1 }] }, "c"),
      send(body, ""),
      scenario.tiffin.send(scenario.staff(), { type: "PlaceOrder", idempotencyKey: "d", order: body }),
    ]);
    expect(codes.map((r) => !r.ok && r.error.code)).toEqual([
      "VALIDATION_FAILED",
      "MENU_ITEM_UNKNOWN",
      "MENU_ITEM_UNAVAILABLE",
      "IDEMPOTENCY_KEY_MISSING",
      "FORBIDDEN",
    ]);
  });
});

describe("who sees what", () => {
  it("shows an order to its customer, restaurant and admins, and NOT_FOUND to everyone else", async () => {
    scenario = await new Scenario().start();
    const placed = await scenario.placeOrder();
    const ask = (principal: Parameters<typeof scenario.tiffin.ask>[0]) =>
      scenario.tiffin.ask(principal, { type: "GetOrder", orderId: placed.id }).then((r) => (r.ok ? "ok" : r.error.code));

    expect(await ask(scenario.customer())).toBe("ok");
    expect(await ask(scenario.staff())).toBe("ok");
    expect(await ask(scenario.admin)).toBe("ok");
    expect(await ask(scenario.customer("customer-2"))).toBe("NOT_FOUND");
    expect(await ask({ role: "restaurant", id: "staff-9", restaurantId: "restaurant-9" })).toBe("NOT_FOUND");
    expect(await ask(scenario.courier())).toBe("NOT_FOUND");
    const cancelByOther = await scenario.tiffin.send(scenario.customer("customer-2"), { type: "CancelOrder", orderId: placed.id });
    expect(!cancelByOther.ok && cancelByOther.error.code).toBe("NOT_FOUND");
  });
});

describe("with a manual kitchen", () => {
  it("lets staff accept a paid order, mark it ready, and see it on their board", async () => {
    scenario = await new Scenario({ kitchen: new ManualKitchen() }).start();
    const placed = await scenario.placeOrder();
    const target = { restaurantId: scenario.restaurant.id, orderId: placed.id };
    await scenario.waitForView(placed.id, "paid", (v) => v.paymentStatus === "captured");

    const board = await scenario.tiffin.ask(scenario.staff(), { type: "RestaurantBoard", restaurantId: scenario.restaurant.id });
    expect(board.ok && board.value.map((v) => v.id)).toEqual([placed.id]);
    // An admin may read any board, but a restaurant that does not exist has none (its stream would never end).
    const missing = await scenario.tiffin.ask(scenario.admin, { type: "RestaurantBoard", restaurantId: "no-such-restaurant" });
    expect(!missing.ok && missing.error).toMatchObject({ code: "NOT_FOUND", details: { resource: "restaurant" } });
    const stranger = await scenario.tiffin.send({ role: "restaurant", id: "x", restaurantId: "restaurant-9" }, { type: "AcceptOrder", ...target });
    expect(!stranger.ok && stranger.error.code).toBe("NOT_FOUND");

    const accepted = await scenario.tiffin.send(scenario.staff(), { type: "AcceptOrder", ...target });
    expect(accepted.ok && accepted.value.status).toBe("preparing");
    const ready = await scenario.tiffin.send(scenario.staff(), { type: "MarkOrderReady", ...target });
    expect(ready.ok && ready.value.status).toBe("ready");
    const twice = await scenario.tiffin.send(scenario.staff(), { type: "AcceptOrder", ...target });
    expect(!twice.ok && twice.error.code).toBe("ORDER_INVALID_TRANSITION");

    await scenario.deliver(placed.id);
    await scenario.waitForSaga(placed.id, ["completed"]);
  });

  it("refuses to accept an unpaid order, and refunds an order staff reject", async () => {
    scenario = new Scenario({ kitchen: new ManualKitchen() });
    await scenario.start();
    await scenario.stopWorker();
    const placed = await scenario.placeOrder();
    const target = { restaurantId: scenario.restaurant.id, orderId: placed.id };
    const unpaid = await scenario.tiffin.send(scenario.staff(), { type: "AcceptOrder", ...target });
    expect(!unpaid.ok && unpaid.error.code).toBe("ORDER_NOT_PAID");

    await scenario.startWorker();
    await scenario.waitForView(placed.id, "paid", (v) => v.paymentStatus === "captured");
    const rejected = await scenario.tiffin.send(scenario.staff(), { type: "RejectOrder", ...target });
    expect(rejected.ok && rejected.value.status).toBe("cancelled");
    await scenario.waitForSaga(placed.id, ["compensated"]);
    expect(ledgerTotals(await scenario.ledger(placed.id))).toEqual({ "charge:customer": 2500, "refund:customer": 2500 });
  });

  it("lets staff accept a paid order while the order views lag behind (payment is read from the saga, not a projection)", async () => {
    const parts = ["relay", "timers", "recovery", "paymentSaga", "kitchen", "courierAssignment"] as const;
    scenario = await new Scenario({ kitchen: new ManualKitchen(), worker: { parts: [...parts] } }).start();
    const placed = await scenario.placeOrder();
    await waitFor(async () => (await scenario.saga(placed.id))?.completed.includes("charge") === true, { what: "the charge" });
    expect((await scenario.view(placed.id))?.paymentStatus).not.toBe("captured");
    const accepted = await scenario.tiffin.send(scenario.staff(), { type: "AcceptOrder", restaurantId: scenario.restaurant.id, orderId: placed.id });
    expect(accepted.ok && accepted.value.status).toBe("preparing");
  });

  it("lets the customer cancel while the kitchen decides, refunding the charge; not after delivery", async () => {
    scenario = await new Scenario({ kitchen: new ManualKitchen() }).start();
    const placed = await scenario.placeOrder();
    await scenario.waitForView(placed.id, "paid", (v) => v.paymentStatus === "captured");

    const cancelled = await scenario.tiffin.send(scenario.customer(), { type: "CancelOrder", orderId: placed.id });
    expect(cancelled.ok && cancelled.value.status).toBe("cancelled");
    const view = await scenario.waitForView(placed.id, "refunded", (v) => v.paymentStatus === "refunded");
    expect(view.timeline.map((t) => t.status)).toEqual(["placed", "cancelled"]);
    const again = await scenario.tiffin.send(scenario.customer(), { type: "CancelOrder", orderId: placed.id });
    expect(!again.ok && again.error.code).toBe("ORDER_INVALID_TRANSITION");
  });
});

describe("a restaurant that never answers", () => {
  it("has the order rejected and refunded after the accept timeout", async () => {
    scenario = await new Scenario({ kitchen: new ManualKitchen(), kitchenAcceptTimeoutMs: 5 * 60_000 }).start();
    const placed = await scenario.placeOrder();
    await scenario.waitForView(placed.id, "paid", (v) => v.paymentStatus === "captured");

    await scenario.advanceUntil("rejected", async () => (await scenario.view(placed.id))?.status === "cancelled", 60_000);
    await scenario.waitForSaga(placed.id, ["compensated"]);
    expect(ledgerTotals(await scenario.ledger(placed.id))).toEqual({ "charge:customer": 2500, "refund:customer": 2500 });
  });
});

describe("couriers and browsing", () => {
  it("shows the assigned courier's position on the order and lists history, restaurants and menus", async () => {
    scenario = await new Scenario().start();
    const first = await scenario.placeOrder();
    const second = await scenario.placeOrder();
    await scenario.deliver(first.id);

    // The second order waited for the busy courier; its retry timer offers it once the clock moves on.
    const acceptSecond = async () => {
      const offers = await scenario.tiffin.ask(scenario.courier(), { type: "CourierOffers" });
      const offer = offers.ok ? offers.value[0] : undefined;
      return offer !== undefined && (await scenario.tiffin.send(scenario.courier(), { type: "AcceptOffer", offerId: offer.id, token: offer.token })).ok;
    };
    await scenario.advanceUntil("the second order's offer accepted", acceptSecond, 5_000);
    await scenario.waitForView(second.id, "assigned", (v) => v.courierId === "courier-1");
    const assigned = await scenario.tiffin.ask(scenario.customer(), { type: "GetOrder", orderId: second.id });
    expect(assigned.ok && assigned.value.courierPosition).toEqual(scenario.couriers[0]?.position);
    const moved = await scenario.tiffin.send(scenario.courier(), { type: "UpdateCourierLocation", lat: 52.53, lng: 13.41 });
    expect(moved.ok).toBe(true);
    const asCourier = await scenario.tiffin.ask(scenario.courier(), { type: "GetOrder", orderId: second.id });
    expect(asCourier.ok && asCourier.value.courierPosition).toEqual({ lat: 52.53, lng: 13.41 });
    // A delivered order no longer shows where its courier is, however they move on.
    const delivered = await scenario.tiffin.ask(scenario.customer(), { type: "GetOrder", orderId: first.id });
    expect(delivered.ok && delivered.value).toMatchObject({ status: "delivered", courierId: "courier-1", courierPosition: null });
    const bad = await scenario.tiffin.send(scenario.courier(), { type: "UpdateCourierLocation", lat: 123, lng: 0 });
    expect(!bad.ok && bad.error.code).toBe("VALIDATION_FAILED");
    const off = await scenario.tiffin.send(scenario.courier(), { type: "SetCourierAvailability", available: false });
    expect(off.ok).toBe(true);

    const page1 = await scenario.tiffin.ask(scenario.customer(), { type: "OrderHistory", limit: 1 });
    expect(page1.ok && page1.value.items).toHaveLength(1);
    const cursor = page1.ok ? page1.value.nextCursor : null;
    const page2 = await scenario.tiffin.ask(scenario.customer(), { type: "OrderHistory", limit: 1, cursor });
    const seen = [page1, page2].flatMap((p) => (p.ok ? p.value.items.map((v) => v.id) : []));
    expect(seen.sort()).toEqual([first.id, second.id].sort());

    const nearby = await scenario.tiffin.ask(scenario.customer(), { type: "NearbyRestaurants", point: scenario.restaurant.location });
    expect(nearby.ok && nearby.value.map((r) => r.id)).toEqual([scenario.restaurant.id]);
    const menu = await scenario.tiffin.ask(scenario.customer(), { type: "Menu", restaurantId: scenario.restaurant.id });
    expect(menu.ok && menu.value.document.categories[0]?.items.map((i) => i.id)).toContain("pad-thai");
    const noMenu = await scenario.tiffin.ask(scenario.customer(), { type: "Menu", restaurantId: "nope" });
    expect(!noMenu.ok && noMenu.error.code).toBe("NOT_FOUND");
  });
});
