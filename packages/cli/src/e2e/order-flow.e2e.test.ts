import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TiffinProcess, waitFor } from "./tiffin-process.js";

/** Makes ids unique per run, so a reused Postgres database (CI) never replays an earlier run's keys. */
const run = randomUUID().slice(0, 8);

const ORDER = {
  restaurantId: "r-curry-house",
  items: [{ itemId: "butter-chicken", quantity: 2, options: ["hot", "naan"] }],
  deliveryAddress: { lat: 52.521, lng: 13.41, line1: "Alexanderplatz 1" },
};
const COURIERS = ["c-anna", "c-ben", "c-chen"];

let tiffin: TiffinProcess;
beforeAll(async () => {
  tiffin = await TiffinProcess.start({ env: { TIFFIN_KITCHEN: "auto", TIFFIN_KITCHEN_PREP_MS: "300" } });
});
afterAll(async () => {
  await tiffin?.dispose();
});

/** The courier who was offered `orderId`, with the offer. */
async function offerFor(orderId: string): Promise<{ courier: string; token: string; offer: { id: string; token: number } }> {
  return waitFor(`an offer for ${orderId}`, async () => {
    for (const courier of COURIERS) {
      const token = await tiffin.token("courier", courier);
      const offers = await tiffin.request("GET", "/v1/couriers/me/offers", { token });
      const offer = (offers.json.items as { id: string; orderId: string; token: number }[]).find((o) => o.orderId === orderId);
      if (offer !== undefined) return { courier, token, offer };
    }
    return undefined;
  });
}

async function placeOrder(customer: string, key: string) {
  const token = await tiffin.token("customer", customer);
  const placed = await tiffin.request("POST", "/v1/orders", { token, body: ORDER, headers: { "idempotency-key": key } });
  expect(placed.status, placed.body as string).toBe(201);
  return { token, id: placed.json.id as string };
}

describe("an order over HTTP, end to end", () => {
  it("goes from placed to delivered and the payment saga completes", async () => {
    const customer = await placeOrder(`cust-happy-${run}`, `happy-1-${run}`);
    // The stream ends by itself once the order is settled.
    const streamed = tiffin.collectEvents(`/v1/orders/${customer.id}/stream`, customer.token, () => false);
    const { courier, token: courierToken, offer } = await offerFor(customer.id);
    const accepted = await tiffin.request("POST", `/v1/offers/${offer.id}/accept`, { token: courierToken, body: { token: offer.token } });
    expect(accepted.status, accepted.body as string).toBe(200);

    await waitFor("the order to be ready with its courier", async () => {
      const view = await tiffin.request("GET", `/v1/orders/${customer.id}`, { token: customer.token });
      return view.json.status === "ready" && view.json.courierId === courier ? true : undefined;
    });
    expect((await tiffin.request("POST", `/v1/orders/${customer.id}/picked-up`, { token: courierToken })).status).toBe(200);
    const delivered = await tiffin.request("POST", `/v1/orders/${customer.id}/delivered`, { token: courierToken });
    expect(delivered.json.status).toBe("delivered");

    const admin = await tiffin.token("admin", "ops");
    const saga = await waitFor("the saga to complete", async () => {
      const answer = await tiffin.request("GET", `/admin/sagas/${customer.id}`, { token: admin });
      return answer.json?.status === "completed" ? answer.json : undefined;
    });
    expect(saga.lastError).toBeNull();
    const ledger = await tiffin.request("GET", `/admin/payments/${customer.id}`, { token: admin });
    const kinds = (ledger.json.items as { kind: string; party: string }[]).map((e) => `${e.kind}:${e.party}`).sort();
    expect(kinds).toEqual(["charge:customer", "payout:courier", "payout:restaurant"]);

    const view = await waitFor("the view to show the delivery and payout", async () => {
      const answer = await tiffin.request("GET", `/v1/orders/${customer.id}`, { token: customer.token });
      return answer.json.status === "delivered" && answer.json.paymentStatus === "paid_out" ? answer.json : undefined;
    });
    expect(view.timeline.map((t: { status: string }) => t.status)).toEqual(["placed", "confirmed", "preparing", "ready", "picked_up", "delivered"]);
    const events = await streamed;
    expect([...new Set(events.map((event: { status: string }) => event.status))]).toEqual(["placed", "confirmed", "preparing", "ready", "picked_up", "delivered"]);
    expect(events.at(-1)).toMatchObject({ status: "delivered", paymentStatus: "paid_out" });
  });

  it("answers a stale offer token with 409 OFFER_STALE", async () => {
    const customer = await placeOrder(`cust-stale-${run}`, `stale-1-${run}`);
    const { token, offer } = await offerFor(customer.id);
    const stale = await tiffin.request("POST", `/v1/offers/${offer.id}/accept`, { token, body: { token: offer.token - 1 } });
    expect(stale.status).toBe(409);
    expect(stale.json.code).toBe("OFFER_STALE");
    expect((await tiffin.request("POST", `/v1/offers/${offer.id}/accept`, { token, body: { token: offer.token } })).status).toBe(200);
    const again = await tiffin.request("POST", `/v1/offers/${offer.id}/accept`, { token, body: { token: offer.token } });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe("OFFER_STALE");
  });

  it("exposes queue depth and saga counters on /metrics", async () => {
    const metrics = await tiffin.request("GET", "/metrics");
    expect(metrics.body).toMatch(/tiffin_queue_depth\{subscription="projections"\}/);
    expect(metrics.body).toMatch(/tiffin_saga_outcomes_total\{outcome="completed"\} [1-9]/);
    expect(metrics.body).toMatch(/tiffin_messages_handled_total\{subscription="payment-saga"/);
  });
});
