import { randomUUID } from "node:crypto";
import { startServiceBusEmulator, type ServiceBusEmulator } from "@tiffin/servicebus-emulator";
import { DISPATCH_EVENT_TYPES, ORDER_EVENTS_TOPIC, PAYMENT_SAGA_EVENT_TYPES, resolveSubscriptionSpec, SUBSCRIPTIONS } from "@tiffin/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The CLI's process harness: this test runs the built `tiffin start` with TIFFIN_BROKER=azure.
import { TiffinProcess, waitFor } from "../../cli/src/e2e/tiffin-process.js";
import { describeSubscription } from "./topology.js";
import { emulatorTopic } from "./test-support/emulator.js";

const run = randomUUID().slice(0, 8);
const ORDER = {
  restaurantId: "r-curry-house",
  items: [{ itemId: "butter-chicken", quantity: 1, options: ["hot", "naan"] }],
  deliveryAddress: { lat: 52.521, lng: 13.41, line1: "Alexanderplatz 1" },
};
const COURIERS = ["c-anna", "c-ben", "c-chen"];

/**
 * The worker's subscriptions as the Bicep template creates them (the emulator has no administration API). The
 * kitchen's one event type is written here as in the worker; `tiffin topology` is to print this list from one place.
 */
const WORKER_SUBSCRIPTIONS = [
  { subscription: SUBSCRIPTIONS.paymentSaga, eventTypes: PAYMENT_SAGA_EVENT_TYPES },
  { subscription: SUBSCRIPTIONS.kitchen, eventTypes: ["payment.captured"] },
  { subscription: SUBSCRIPTIONS.courierAssignment, eventTypes: DISPATCH_EVENT_TYPES },
  { subscription: SUBSCRIPTIONS.projections },
].map((spec) => describeSubscription(resolveSubscriptionSpec({ topic: ORDER_EVENTS_TOPIC, ...spec }), 60_000));

let emulator: ServiceBusEmulator;
let tiffin: TiffinProcess;
beforeAll(async () => {
  emulator = await startServiceBusEmulator();
  const topics = WORKER_SUBSCRIPTIONS.map(emulatorTopic);
  emulator.apply({
    UserConfig: { Namespaces: [{ Name: "tiffin", Topics: [{ ...topics[0], Name: ORDER_EVENTS_TOPIC, Subscriptions: topics.flatMap((t) => t.Subscriptions ?? []) }] }] },
  });
  tiffin = await TiffinProcess.start({
    env: {
      TIFFIN_BROKER: "azure",
      SERVICEBUS_CONNECTION_STRING: emulator.connectionString,
      TIFFIN_KITCHEN: "auto",
      TIFFIN_KITCHEN_PREP_MS: "2000",
    },
  });
});
afterAll(async () => {
  await tiffin?.dispose();
  await emulator?.close();
});

async function place(customer: string): Promise<{ orderId: string; token: string }> {
  const token = await tiffin.token("customer", `${customer}-${run}`);
  const placed = await tiffin.request("POST", "/v1/orders", { token, body: ORDER, headers: { "idempotency-key": `${customer}-${run}` } });
  expect(placed.status, placed.body as string).toBe(201);
  return { orderId: placed.json.id as string, token };
}

describe("tiffin start with TIFFIN_BROKER=azure on the Service Bus emulator", () => {
  it("takes an order from placed to delivered with payouts, every event through the topic's session subscriptions", async () => {
    const { orderId, token: customerToken } = await place("cust-azure");
    const { courier, token, offer } = await waitFor(`an offer for ${orderId}`, async () => {
      for (const courier of COURIERS) {
        const token = await tiffin.token("courier", courier);
        const offers = await tiffin.request("GET", "/v1/couriers/me/offers", { token });
        const offer = (offers.json.items as { id: string; orderId: string; token: number }[]).find((o) => o.orderId === orderId);
        if (offer !== undefined) return { courier, token, offer };
      }
      return undefined;
    });
    expect((await tiffin.request("POST", `/v1/offers/${offer.id}/accept`, { token, body: { token: offer.token } })).status).toBe(200);
    await waitFor("the order to be ready with its courier", async () => {
      const view = await tiffin.request("GET", `/v1/orders/${orderId}`, { token: customerToken });
      return view.json.status === "ready" && view.json.courierId === courier ? true : undefined;
    });
    expect((await tiffin.request("POST", `/v1/orders/${orderId}/picked-up`, { token })).status).toBe(200);
    expect((await tiffin.request("POST", `/v1/orders/${orderId}/delivered`, { token })).json.status).toBe("delivered");

    const admin = await tiffin.token("admin", "ops");
    await waitFor("the saga to complete", async () => {
      const saga = await tiffin.request("GET", `/admin/sagas/${orderId}`, { token: admin });
      return saga.json?.status === "completed" ? true : undefined;
    });
    const ledger = await tiffin.request("GET", `/admin/payments/${orderId}`, { token: admin });
    const kinds = (ledger.json.items as { kind: string; party: string }[]).map((e) => `${e.kind}:${e.party}`).sort();
    expect(kinds).toEqual(["charge:customer", "payout:courier", "payout:restaurant"]);
    const view = await waitFor("the view to show the payout", async () => {
      const answer = await tiffin.request("GET", `/v1/orders/${orderId}`, { token: customerToken });
      return answer.json.paymentStatus === "paid_out" ? answer.json : undefined;
    });
    expect(view.timeline.map((t: { status: string }) => t.status)).toEqual(["placed", "confirmed", "preparing", "ready", "picked_up", "delivered"]);
    // The events crossed the emulator: every subscription drains, and nothing was dead-lettered.
    const queues = WORKER_SUBSCRIPTIONS.map(({ name }) => emulator.namespace.queue(`${ORDER_EVENTS_TOPIC}/Subscriptions/${name}`));
    await waitFor("every subscription to drain", async () => (queues.every((q) => q.peek(0, 1).length === 0) ? true : undefined));
    for (const queue of queues) expect(queue.deadLetterQueue?.peek(0, 10), queue.path).toEqual([]);
  });

  it("refunds the charge when the customer cancels a paid order", async () => {
    const { orderId, token } = await place("cust-azure-cancel");
    await waitFor("the order to be paid and preparing", async () => {
      const view = await tiffin.request("GET", `/v1/orders/${orderId}`, { token });
      return view.json.status === "preparing" && view.json.paymentStatus !== "pending" ? true : undefined;
    });
    expect((await tiffin.request("POST", `/v1/orders/${orderId}/cancel`, { token })).status).toBe(202);
    const admin = await tiffin.token("admin", "ops");
    await waitFor("the saga to be compensated", async () => {
      const saga = await tiffin.request("GET", `/admin/sagas/${orderId}`, { token: admin });
      return saga.json?.status === "compensated" ? true : undefined;
    });
    const ledger = await tiffin.request("GET", `/admin/payments/${orderId}`, { token: admin });
    const kinds = (ledger.json.items as { kind: string; party: string }[]).map((e) => `${e.kind}:${e.party}`).sort();
    expect(kinds).toEqual(["charge:customer", "refund:customer"]);
    const view = await waitFor("the view to show the cancellation", async () => {
      const answer = await tiffin.request("GET", `/v1/orders/${orderId}`, { token });
      return answer.json.status === "cancelled" ? answer.json : undefined;
    });
    expect(view.timeline.map((t: { status: string }) => t.status)).toContain("cancelled");
  });
});
