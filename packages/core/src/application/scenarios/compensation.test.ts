import { afterEach, describe, expect, it } from "vitest";
import { AutoKitchen } from "../kitchen/kitchens.js";
import { Scenario, ledgerTotals, netByParty } from "../../testing/scenario.js";

let scenario: Scenario;
afterEach(async () => scenario?.dispose());

describe("when something goes wrong", () => {
  it("cancels the order on a declined charge and moves no money", async () => {
    scenario = await new Scenario({ payment: { declineCustomerIds: ["customer-1"] } }).start();
    const placed = await scenario.placeOrder();

    const view = await scenario.waitForView(placed.id, "cancelled", (v) => v.status === "cancelled");
    expect(view.paymentStatus).toBe("declined");
    const moved = (await scenario.ledger(placed.id)).filter((e) => e.amount.amount !== 0);
    expect(moved).toEqual([]);
  });

  it("refunds the customer when the restaurant rejects the order", async () => {
    scenario = await new Scenario({ kitchen: new AutoKitchen({ rejectionRate: 1 }) }).start();
    const placed = await scenario.placeOrder();

    await scenario.waitForSaga(placed.id, ["compensated"]);
    const view = await scenario.waitForView(placed.id, "refunded", (v) => v.paymentStatus === "refunded");
    expect(view.status).toBe("cancelled");
    expect(ledgerTotals(await scenario.ledger(placed.id))).toEqual({ "charge:customer": 2500, "refund:customer": 2500 });
  });

  it("cancels with no_courier and refunds when nobody can take the order", async () => {
    // A long prep time: once the food is ready the order can no longer be cancelled.
    const kitchen = new AutoKitchen({ prepTimeMs: 3_600_000 });
    scenario = await new Scenario({ kitchen, couriers: 0, dispatch: { noCourierRetries: 2, noCourierRetryDelayMs: 1_000 } }).start();
    const placed = await scenario.placeOrder();
    await scenario.waitForView(placed.id, "preparing", (v) => v.status === "preparing");

    await scenario.advanceUntil("no_courier", async () => (await scenario.view(placed.id))?.status === "cancelled", 1_000);
    await scenario.waitForSaga(placed.id, ["compensated"]);
    const view = await scenario.waitForView(placed.id, "refunded", (v) => v.paymentStatus === "refunded");
    expect(view.status).toBe("cancelled");
    expect(netByParty(await scenario.ledger(placed.id))).toEqual({ customer: 0, restaurant: 0, courier: 0 });
  });

  it("compensates in reverse when the courier payout fails for good; the ledger nets to zero", async () => {
    scenario = await new Scenario().start();
    scenario.payouts.inject("payout", { kind: "permanent", party: "courier" });
    const placed = await scenario.placeOrder();
    await scenario.deliver(placed.id);

    await scenario.waitForSaga(placed.id, ["compensated"]);
    const entries = await scenario.ledger(placed.id);
    expect(entries.map((e) => `${e.kind}:${e.party}`)).toEqual(["charge:customer", "payout:restaurant", "clawback:restaurant", "refund:customer"]);
    expect(netByParty(entries)).toEqual({ customer: 0, restaurant: 0, courier: 0 });
  });

  it("ends the saga failed, visible to admins, when the refund fails for good", async () => {
    scenario = await new Scenario({ kitchen: new AutoKitchen({ rejectionRate: 1 }) }).start();
    scenario.payments.inject("refund", { kind: "permanent" });
    const placed = await scenario.placeOrder();

    await scenario.waitForSaga(placed.id, ["failed"]);
    const failed = await scenario.tiffin.ask(scenario.admin, { type: "Sagas", status: "failed" });
    expect(failed.ok && failed.value.map((s) => s.orderId)).toEqual([placed.id]);
    const detail = await scenario.tiffin.ask(scenario.admin, { type: "Saga", orderId: placed.id });
    expect(detail.ok && detail.value.lastError).toBeTruthy();
    expect(ledgerTotals(await scenario.ledger(placed.id))).toEqual({ "charge:customer": 2500 });
    const view = await scenario.waitForView(placed.id, "refund failed", (v) => v.paymentStatus === "refund_failed");
    expect(view.status).toBe("cancelled");
    const asCustomer = await scenario.tiffin.ask(scenario.customer(), { type: "Sagas" });
    expect(!asCustomer.ok && asCustomer.error.code).toBe("FORBIDDEN");
  });
});
