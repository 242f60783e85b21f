import { randomUUID } from "node:crypto";
import { WORKER_SUBSCRIPTIONS } from "@tiffin/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TiffinProcess, waitFor } from "./tiffin-process.js";

/** What one broker adapter gives the shared order flow: the variables that select it, and what to stop afterwards. */
export interface OrderFlowBroker {
  /** Variables for `tiffin start` besides the database: TIFFIN_BROKER and that broker's own variables. */
  readonly env: Readonly<Record<string, string>>;
  /** Whether the broker reports queue depth (the `tiffin_queue_depth` gauge). */
  readonly queueDepth: boolean;
  /** Runs once the delivered order settled: e.g. that its events crossed the broker, nothing dead-lettered. */
  readonly afterDelivery?: (orderId: string) => Promise<void>;
  /** Stops what `setUp` started (an emulator). */
  readonly close?: () => Promise<void>;
}

const ORDER = {
  restaurantId: "r-curry-house",
  items: [{ itemId: "butter-chicken", quantity: 2, options: ["hot", "naan"] }],
  deliveryAddress: { lat: 52.521, lng: 13.41, line1: "Alexanderplatz 1" },
};
const COURIERS = ["c-anna", "c-ben", "c-chen"];
const STATUSES = ["placed", "confirmed", "preparing", "ready", "picked_up", "delivered"];

/**
 * The order flow every broker adapter must carry, run against the built `tiffin start` (API and worker in one
 * process): placed → charged → kitchen → dispatched → delivered → paid out, a stale offer refused, and a paid order
 * cancelled with its charge refunded. `setUp` starts the broker (an emulator) and returns its environment. The
 * kitchen takes a few seconds per order, so the cancellation lands while the order is still being prepared.
 */
export function describeOrderFlow(name: string, setUp: () => Promise<OrderFlowBroker>): void {
  /** Makes ids unique per run, so a reused Postgres database (CI) never replays an earlier run's keys. */
  const run = randomUUID().slice(0, 8);
  let broker: OrderFlowBroker | undefined;
  let tiffin: TiffinProcess;

  beforeAll(async () => {
    broker = await setUp();
    tiffin = await TiffinProcess.start({ env: { TIFFIN_KITCHEN: "auto", TIFFIN_KITCHEN_PREP_MS: "5000", ...broker.env } });
  });
  afterAll(async () => {
    await tiffin?.dispose();
    await broker?.close?.();
  });

  /** The courier who was offered `orderId`, with the offer. */
  const offerFor = (orderId: string): Promise<{ courier: string; token: string; offer: { id: string; token: number } }> =>
    waitFor(`an offer for ${orderId}`, async () => {
      for (const courier of COURIERS) {
        const token = await tiffin.token("courier", courier);
        const offers = await tiffin.request("GET", "/v1/couriers/me/offers", { token });
        const offer = (offers.json.items as { id: string; orderId: string; token: number }[]).find((o) => o.orderId === orderId);
        if (offer !== undefined) return { courier, token, offer };
      }
      return undefined;
    });

  const placeOrder = async (customer: string): Promise<{ token: string; id: string }> => {
    const token = await tiffin.token("customer", `${customer}-${run}`);
    const placed = await tiffin.request("POST", "/v1/orders", { token, body: ORDER, headers: { "idempotency-key": `${customer}-${run}` } });
    expect(placed.status, placed.body as string).toBe(201);
    return { token, id: placed.json.id as string };
  };

  const ledgerOf = async (orderId: string): Promise<string[]> => {
    const admin = await tiffin.token("admin", "ops");
    const ledger = await tiffin.request("GET", `/admin/payments/${orderId}`, { token: admin });
    return (ledger.json.items as { kind: string; party: string }[]).map((e) => `${e.kind}:${e.party}`).sort();
  };

  describe(`an order over HTTP, end to end (${name})`, () => {
    it("goes from placed to delivered, the payment saga completes and pays out", async () => {
      const customer = await placeOrder("cust-happy");
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
      expect(await ledgerOf(customer.id)).toEqual(["charge:customer", "payout:courier", "payout:restaurant"]);

      const view = await waitFor("the view to show the delivery and payout", async () => {
        const answer = await tiffin.request("GET", `/v1/orders/${customer.id}`, { token: customer.token });
        return answer.json.status === "delivered" && answer.json.paymentStatus === "paid_out" ? answer.json : undefined;
      });
      expect(view.timeline.map((t: { status: string }) => t.status)).toEqual(STATUSES);
      const events = await streamed;
      expect([...new Set(events.map((event: { status: string }) => event.status))]).toEqual(STATUSES);
      expect(events.at(-1)).toMatchObject({ status: "delivered", paymentStatus: "paid_out" });
      for (const { subscription } of WORKER_SUBSCRIPTIONS) {
        const letters = await tiffin.request("GET", `/admin/dead-letters?subscription=${subscription}`, { token: admin });
        expect(letters.status, letters.body as string).toBe(200);
        expect(letters.json.items, `dead letters of ${subscription}`).toEqual([]);
      }
      await broker?.afterDelivery?.(customer.id);
    });

    it("refunds the charge when the customer cancels a paid order", async () => {
      const customer = await placeOrder("cust-cancel");
      await waitFor("the order to be paid and preparing", async () => {
        const view = await tiffin.request("GET", `/v1/orders/${customer.id}`, { token: customer.token });
        return view.json.status === "preparing" && view.json.paymentStatus !== "pending" ? true : undefined;
      });
      const cancelled = await tiffin.request("POST", `/v1/orders/${customer.id}/cancel`, { token: customer.token });
      expect(cancelled.status, cancelled.body as string).toBe(202);
      const admin = await tiffin.token("admin", "ops");
      await waitFor("the saga to be compensated", async () => {
        const saga = await tiffin.request("GET", `/admin/sagas/${customer.id}`, { token: admin });
        return saga.json?.status === "compensated" ? true : undefined;
      });
      expect(await ledgerOf(customer.id)).toEqual(["charge:customer", "refund:customer"]);
      const view = await waitFor("the view to show the cancellation and refund", async () => {
        const answer = await tiffin.request("GET", `/v1/orders/${customer.id}`, { token: customer.token });
        return answer.json.status === "cancelled" && answer.json.paymentStatus === "refunded" ? answer.json : undefined;
      });
      expect(view.cancellationReason).toBe("customer_cancelled");
    });

    it("answers a stale offer token with 409 OFFER_STALE, and the same accept sent again with the offer unchanged", async () => {
      const customer = await placeOrder("cust-stale");
      const { token, offer } = await offerFor(customer.id);
      const stale = await tiffin.request("POST", `/v1/offers/${offer.id}/accept`, { token, body: { token: offer.token - 1 } });
      expect(stale.status).toBe(409);
      expect(stale.json.code).toBe("OFFER_STALE");
      const accepted = await tiffin.request("POST", `/v1/offers/${offer.id}/accept`, { token, body: { token: offer.token } });
      expect(accepted.status).toBe(200);
      // A courier's app retrying an accept whose reply it lost learns that the accept took.
      const again = await tiffin.request("POST", `/v1/offers/${offer.id}/accept`, { token, body: { token: offer.token } });
      expect({ status: again.status, body: again.json }).toEqual({ status: 200, body: accepted.json });
      // The accepted offer cannot be declined any more.
      const decline = await tiffin.request("POST", `/v1/offers/${offer.id}/decline`, { token, body: { token: offer.token } });
      expect(decline.status).toBe(409);
      expect(decline.json.code).toBe("OFFER_STALE");
    });

    it("exposes saga counters, handled messages and (where the broker reports it) queue depth on /metrics", async () => {
      const metrics = await tiffin.request("GET", "/metrics");
      expect(metrics.body).toMatch(/tiffin_saga_outcomes_total\{outcome="completed"\} [1-9]/);
      expect(metrics.body).toMatch(/tiffin_messages_handled_total\{subscription="payment-saga"/);
      if (broker?.queueDepth === true) expect(metrics.body).toMatch(/tiffin_queue_depth\{subscription="projections"\}/);
    });
  });
}
