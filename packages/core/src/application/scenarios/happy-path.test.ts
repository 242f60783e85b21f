import { afterEach, describe, expect, it } from "vitest";
import type { CloudEvent } from "../../messaging/cloud-event.js";
import type { MessagePublisher } from "../../ports/messaging.js";
import { waitFor } from "../../testing/broker/wait-for.js";
import { Scenario, ledgerTotals } from "../../testing/scenario.js";

/** Publishes every message twice, as an at-least-once broker may deliver it. */
class TwicePublisher implements MessagePublisher {
  constructor(private readonly inner: MessagePublisher) {}
  async publish(topic: string, messages: readonly CloudEvent[]): Promise<void> {
    await this.inner.publish(topic, messages);
    await this.inner.publish(topic, messages);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

let scenario: Scenario;
afterEach(async () => scenario?.dispose());

async function deliverOneOrder(s: Scenario) {
  const placed = await s.placeOrder();
  await s.deliver(placed.id);
  await s.waitForSaga(placed.id, ["completed"]);
  const view = await s.waitForView(placed.id, "paid out", (v) => v.paymentStatus === "paid_out");
  return { view, ledger: ledgerTotals(await s.ledger(placed.id)) };
}

describe("happy path", () => {
  it("takes an order from placed to delivered; the ledger shows one charge and two payouts", async () => {
    scenario = await new Scenario().start();
    const { view, ledger } = await deliverOneOrder(scenario);

    expect(view.status).toBe("delivered");
    expect(view.courierId).toBe("courier-1");
    expect(view.total).toEqual({ amount: 2500, currency: "EUR" });
    expect(view.timeline.map((t) => t.status)).toEqual(["placed", "confirmed", "preparing", "ready", "picked_up", "delivered"]);
    expect(Object.keys(ledger).sort()).toEqual(["charge:customer", "payout:courier", "payout:restaurant"]);
    expect(ledger["charge:customer"]).toBe(2500);
    expect((await scenario.ledger(view.id)).filter((e) => e.kind === "charge")).toHaveLength(1);
    expect((await scenario.ledger(view.id)).filter((e) => e.kind === "payout")).toHaveLength(2);

    const asCustomer = await scenario.tiffin.ask(scenario.customer(), { type: "GetOrder", orderId: view.id });
    expect(asCustomer.ok && asCustomer.value.status).toBe("delivered");
    const payments = await scenario.tiffin.ask(scenario.admin, { type: "Payments", orderId: view.id });
    expect(payments.ok && payments.value).toHaveLength(3);
  });

  it("ends the same, with the same ledger, when every message is delivered twice", async () => {
    scenario = await new Scenario().start();
    const once = await deliverOneOrder(scenario);
    await scenario.dispose();

    scenario = await new Scenario({ publisher: (inner) => new TwicePublisher(inner) }).start();
    const twice = await deliverOneOrder(scenario);

    expect(twice.ledger).toEqual(once.ledger);
    expect(twice.view.status).toBe(once.view.status);
    expect(twice.view.timeline.map((t) => t.status)).toEqual(once.view.timeline.map((t) => t.status));
    expect(twice.view.paymentStatus).toBe(once.view.paymentStatus);
  });

  it("answers OFFER_STALE to an accept with an old token or after the offer expired", async () => {
    scenario = await new Scenario().start();
    const placed = await scenario.placeOrder();
    const courier = scenario.courier();
    const offerOf = async () => {
      const offers = await scenario.tiffin.ask(courier, { type: "CourierOffers" });
      return offers.ok ? offers.value.find((o) => o.orderId === placed.id) : undefined;
    };
    await waitFor(async () => (await offerOf()) !== undefined, { what: "an offer" });
    const offer = (await offerOf())!;

    const wrongToken = await scenario.tiffin.send(courier, { type: "AcceptOffer", offerId: offer.id, token: offer.token - 1 });
    expect(!wrongToken.ok && wrongToken.error.code).toBe("OFFER_STALE");

    scenario.clock.advance(10_001);
    const late = await scenario.tiffin.send(courier, { type: "AcceptOffer", offerId: offer.id, token: offer.token });
    expect(!late.ok && late.error.code).toBe("OFFER_STALE");

    const otherCourier = await scenario.tiffin.send(scenario.courier(2), { type: "AcceptOffer", offerId: offer.id, token: offer.token });
    expect(!otherCourier.ok && otherCourier.error.code).toBe("NOT_FOUND");
    expect((await scenario.view(placed.id))?.courierId).toBeNull();
  });
});
