import { afterEach, describe, expect, it } from "vitest";
import { SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import { waitFor } from "../../testing/broker/wait-for.js";
import { AutoKitchen } from "../kitchen/kitchens.js";
import { Scenario, ledgerTotals, netByParty } from "../../testing/scenario.js";

let scenario: Scenario;
afterEach(async () => scenario?.dispose());

describe("concurrency", () => {
  it("makes one order and one charge of 50 concurrent requests with one Idempotency-Key", async () => {
    scenario = await new Scenario().start();
    const customer = scenario.customer();
    const body = scenario.orderBody();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => scenario.tiffin.send(customer, { type: "PlaceOrder", idempotencyKey: "one-key", order: body })),
    );

    const ids = new Set(answers.map((a) => (a.ok ? a.value.view.id : a.error.code)));
    expect([...ids]).toHaveLength(1);
    expect(answers.filter((a) => a.ok && !a.value.replayed)).toHaveLength(1);
    const [orderId] = [...ids] as [string];
    const history = await scenario.tiffin.ask(customer, { type: "OrderHistory" });
    expect(history.ok && history.value.items.map((v) => v.id)).toEqual([orderId]);

    await scenario.waitForView(orderId, "charged", (v) => v.paymentStatus === "captured" || v.paymentStatus === "paid_out");
    expect((await scenario.ledger(orderId)).filter((e) => e.kind === "charge")).toHaveLength(1);
  });

  it("gives one courier to one order at a time when 20 orders race for them; the rest are re-offered or refunded", async () => {
    const kitchen = new AutoKitchen({ prepTimeMs: 60_000 });
    scenario = await new Scenario({ kitchen, dispatch: { noCourierRetries: 3, noCourierRetryDelayMs: 15_000 } }).start();
    const courier = scenario.courier();
    const orders = await Promise.all(Array.from({ length: 20 }, (_, i) => scenario.placeOrder(scenario.customer(`customer-${i}`))));
    const ids = orders.map((o) => o.id);
    const views = () => Promise.all(ids.map(async (id) => (await scenario.view(id))!));
    let mostOpenOffers = 0;
    const carrying = async () =>
      (await scenario.uow.run(SYSTEM_PRINCIPAL, (tx) => Promise.all(ids.map((id) => tx.orders.load(id))))).filter(
        (o) => o?.courierId === courier.id && o.status !== "delivered",
      ).length;
    let mostCarried = 0;

    await waitFor(
      async () => {
        const current = await views();
        if (current.every((v) => v.status === "delivered" || v.status === "cancelled")) return true;
        const offers = await scenario.tiffin.ask(courier, { type: "CourierOffers" });
        const open = offers.ok ? offers.value : [];
        mostOpenOffers = Math.max(mostOpenOffers, open.length);
        const offer = open[0];
        const accepted = offer ? await scenario.tiffin.send(courier, { type: "AcceptOffer", offerId: offer.id, token: offer.token }) : null;
        if (offer && accepted?.ok) {
          mostCarried = Math.max(mostCarried, await carrying());
          const ready = async () => (await scenario.view(offer.orderId))?.status === "ready";
          await scenario.advanceUntil(`${offer.orderId} ready`, ready, 20_000);
          await scenario.tiffin.send(courier, { type: "MarkPickedUp", orderId: offer.orderId });
          await scenario.tiffin.send(courier, { type: "MarkDelivered", orderId: offer.orderId });
        } else {
          scenario.advance(5_000);
        }
        return false;
      },
      { what: "every order delivered or cancelled", timeoutMs: 30_000, intervalMs: 5 },
    );

    expect(mostOpenOffers).toBe(1);
    expect(mostCarried).toBe(1);
    for (const id of ids) await scenario.waitForSaga(id, ["completed", "compensated"]);
    const final = await views();
    const delivered = final.filter((v) => v.status === "delivered");
    const cancelled = final.filter((v) => v.status === "cancelled");
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered.length + cancelled.length).toBe(20);
    for (const view of delivered) {
      expect(view.courierId).toBe(courier.id);
      expect(Object.keys(ledgerTotals(await scenario.ledger(view.id))).sort()).toEqual(["charge:customer", "payout:courier", "payout:restaurant"]);
    }
    for (const view of cancelled) {
      const order = await scenario.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.load(view.id));
      expect(order?.cancelReason).toBe("no_courier");
      expect(netByParty(await scenario.ledger(view.id))).toEqual({ customer: 0, restaurant: 0, courier: 0 });
      expect(ledgerTotals(await scenario.ledger(view.id))["refund:customer"]).toBe(2500);
    }
  }, 60_000);
});
