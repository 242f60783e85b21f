import { afterEach, describe, expect, it } from "vitest";
import type { Offer } from "../../ports/offer-store.js";
import type { Principal } from "../../ports/principal.js";
import { SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import { waitFor } from "../../testing/broker/wait-for.js";
import { AutoKitchen } from "../kitchen/kitchens.js";
import { Scenario, ledgerTotals } from "../../testing/scenario.js";

let scenario: Scenario;
afterEach(async () => scenario?.dispose());

async function offerFor(s: Scenario, courier: Principal, orderId: string) {
  let found: { id: string; token: number } | undefined;
  await waitFor(async () => {
    const offers = await s.tiffin.ask(courier, { type: "CourierOffers" });
    found = offers.ok ? offers.value.find((o) => o.orderId === orderId) : undefined;
    return found !== undefined;
  }, { what: `an offer of ${orderId} to ${courier.id}` });
  return found!;
}

const longPrep = () => new AutoKitchen({ prepTimeMs: 3_600_000 });

describe("courier dispatch", () => {
  it("offers the nearest courier first and moves on when an offer expires", async () => {
    scenario = await new Scenario({ kitchen: longPrep(), couriers: 2 }).start();
    const placed = await scenario.placeOrder();
    const first = await offerFor(scenario, scenario.courier(1), placed.id);

    scenario.advance(10_000);
    const second = await offerFor(scenario, scenario.courier(2), placed.id);
    expect(second.token).toBeGreaterThan(first.token);
    const accepted = await scenario.tiffin.send(scenario.courier(2), { type: "AcceptOffer", offerId: second.id, token: second.token });
    expect(accepted.ok).toBe(true);
    await scenario.waitForView(placed.id, "assigned", (v) => v.courierId === "courier-2");
  });

  it("moves on at once when a courier declines, and cancels with no_courier after N candidates", async () => {
    scenario = await new Scenario({ kitchen: longPrep(), couriers: 3, dispatch: { maxCandidates: 2 } }).start();
    const placed = await scenario.placeOrder();
    const first = await offerFor(scenario, scenario.courier(1), placed.id);
    const declined = await scenario.tiffin.send(scenario.courier(1), { type: "DeclineOffer", offerId: first.id, token: first.token });
    expect(declined.ok && declined.value.status).toBe("declined");
    await offerFor(scenario, scenario.courier(2), placed.id);

    scenario.advance(10_000);
    const view = await scenario.waitForView(placed.id, "cancelled", (v) => v.status === "cancelled");
    await scenario.waitForSaga(placed.id, ["compensated"]);
    const order = await scenario.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.load(placed.id));
    expect(order?.cancelReason).toBe("no_courier");
    expect(view.courierId).toBeNull();
    const offers = await scenario.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.offers.forOrder(placed.id));
    expect(offers.map((o) => [o.courierId, o.status])).toEqual([
      ["courier-1", "declined"],
      ["courier-2", "expired"],
    ]);
    expect(ledgerTotals(await scenario.ledger(placed.id))).toEqual({ "charge:customer": 2500, "refund:customer": 2500 });
  });

  it("answers an accept sent again after its reply was lost with the same accepted offer, changing nothing", async () => {
    scenario = await new Scenario({ kitchen: longPrep(), couriers: 2 }).start();
    const placed = await scenario.placeOrder();
    const offer = await offerFor(scenario, scenario.courier(1), placed.id);
    const answer = { offerId: offer.id, token: offer.token };
    const load = () => scenario.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.load(placed.id));
    const first = await scenario.tiffin.send(scenario.courier(1), { type: "AcceptOffer", ...answer });
    const afterFirst = await load();
    const again = await scenario.tiffin.send(scenario.courier(1), { type: "AcceptOffer", ...answer });
    expect(again.ok && first.ok && again.value).toEqual(first.ok && first.value);
    expect(afterFirst?.courierId).toBe("courier-1");
    expect(await load()).toEqual(afterFirst);
    // What the repeat may not do: decline an accepted offer, or accept with a token it was not offered.
    const decline = await scenario.tiffin.send(scenario.courier(1), { type: "DeclineOffer", ...answer });
    expect(!decline.ok && decline.error.code).toBe("OFFER_STALE");
    const wrongToken = await scenario.tiffin.send(scenario.courier(1), { type: "AcceptOffer", offerId: offer.id, token: offer.token + 1 });
    expect(!wrongToken.ok && wrongToken.error.code).toBe("OFFER_STALE");
    const offers = await scenario.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.offers.forOrder(placed.id));
    expect(offers.map((o) => o.status)).toEqual(["accepted"]);
  });

  it("lets exactly one of a racing accept and decline win, and refuses an accept once the offer's time is up", async () => {
    scenario = await new Scenario({ kitchen: longPrep(), couriers: 2, worker: { parts: ["relay", "paymentSaga", "kitchen", "courierAssignment", "projections"] } }).start();
    const placed = await scenario.placeOrder();
    const offer = await offerFor(scenario, scenario.courier(1), placed.id);
    const answer = { offerId: offer.id, token: offer.token };
    const [accepted, declined] = await Promise.all([
      scenario.tiffin.send(scenario.courier(1), { type: "AcceptOffer", ...answer }),
      scenario.tiffin.send(scenario.courier(1), { type: "DeclineOffer", ...answer }),
    ]);
    expect([accepted.ok, declined.ok].filter(Boolean)).toHaveLength(1);
    const loser = accepted.ok ? declined : accepted;
    expect(!loser.ok && loser.error.code).toBe("OFFER_STALE");
    const order = await scenario.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.load(placed.id));
    expect(order?.courierId).toBe(accepted.ok ? "courier-1" : null);

    // The timer poller is not running: an accept after expiry fails on the offer's own deadline, not on the timer.
    const other = await scenario.placeOrder();
    let late: Offer | undefined;
    await waitFor(async () => {
      late = (await scenario.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.offers.forOrder(other.id))).find((o) => o.status === "open");
      return late !== undefined;
    }, { what: "an open offer of the second order" });
    scenario.advance(10_000);
    const courier = { role: "courier", id: late!.courierId } as const;
    const tooLate = await scenario.tiffin.send(courier, { type: "AcceptOffer", offerId: late!.id, token: late!.token });
    expect(!tooLate.ok && tooLate.error.code).toBe("OFFER_STALE");
  });

  it("withdraws the open offer of an order cancelled meanwhile, so its courier is free for the next order at once", async () => {
    scenario = await new Scenario({ kitchen: longPrep(), couriers: 1 }).start();
    const first = await scenario.placeOrder();
    const offer = await offerFor(scenario, scenario.courier(), first.id);
    const cancelled = await scenario.tiffin.send(scenario.customer(), { type: "CancelOrder", orderId: first.id });
    expect(cancelled.ok).toBe(true);
    await waitFor(async () => {
      const offers = await scenario.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.offers.forOrder(first.id));
      return offers.every((o) => o.status === "withdrawn");
    }, { what: "the cancelled order's offer withdrawn" });
    // The clock stands still: the next order reaches the courier without waiting out the dead offer's expiry.
    const second = await scenario.placeOrder();
    await offerFor(scenario, scenario.courier(), second.id);
    const late = await scenario.tiffin.send(scenario.courier(), { type: "AcceptOffer", offerId: offer.id, token: offer.token });
    expect(!late.ok && late.error.code).toBe("OFFER_STALE");
  });

  it("keeps offering an order whose food is ready, since it can no longer be cancelled", async () => {
    scenario = await new Scenario({ couriers: 1, dispatch: { maxCandidates: 1, noCourierRetries: 0 } }).start();
    const placed = await scenario.placeOrder();
    await scenario.waitForView(placed.id, "ready", (v) => v.status === "ready");
    const first = await offerFor(scenario, scenario.courier(), placed.id);
    scenario.advance(10_000);
    await waitFor(async () => (await offerFor(scenario, scenario.courier(), placed.id)).id !== first.id, { what: "a fresh offer" });
    await scenario.deliver(placed.id);
    await scenario.waitForSaga(placed.id, ["completed"]);
  });
});
