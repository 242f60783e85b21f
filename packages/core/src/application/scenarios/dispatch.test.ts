import { afterEach, describe, expect, it } from "vitest";
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
