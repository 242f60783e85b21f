import { randomUUID } from "node:crypto";
import { startFauxqs, type FauxqsServer } from "fauxqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The CLI's process harness: this test runs the built `tiffin start` with TIFFIN_BROKER=aws.
import { TiffinProcess, waitFor } from "../../cli/src/e2e/tiffin-process.js";

const run = randomUUID().slice(0, 8);
const ORDER = {
  restaurantId: "r-curry-house",
  items: [{ itemId: "butter-chicken", quantity: 1, options: ["hot", "naan"] }],
  deliveryAddress: { lat: 52.521, lng: 13.41, line1: "Alexanderplatz 1" },
};
const COURIERS = ["c-anna", "c-ben", "c-chen"];

let fauxqs: FauxqsServer;
let tiffin: TiffinProcess;
beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false, messageSpies: { bufferSize: 10_000 } });
  tiffin = await TiffinProcess.start({
    env: {
      TIFFIN_BROKER: "aws",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL: fauxqs.address,
      AWS_ACCESS_KEY_ID: "fauxqs",
      AWS_SECRET_ACCESS_KEY: "fauxqs",
      TIFFIN_KITCHEN: "auto",
      TIFFIN_KITCHEN_PREP_MS: "300",
    },
  });
});
afterAll(async () => {
  await tiffin?.dispose();
  await fauxqs?.stop();
});

describe("tiffin start with TIFFIN_BROKER=aws on fauxqs", () => {
  it("takes an order from placed to delivered with the saga completed, every event through SNS and SQS", async () => {
    const customerToken = await tiffin.token("customer", `cust-aws-${run}`);
    const placed = await tiffin.request("POST", "/v1/orders", {
      token: customerToken,
      body: ORDER,
      headers: { "idempotency-key": `aws-${run}` },
    });
    expect(placed.status, placed.body as string).toBe(201);
    const orderId = placed.json.id as string;

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
    const view = await waitFor("the view to show the payout", async () => {
      const answer = await tiffin.request("GET", `/v1/orders/${orderId}`, { token: customerToken });
      return answer.json.paymentStatus === "paid_out" ? answer.json : undefined;
    });
    expect(view.timeline.map((t: { status: string }) => t.status)).toEqual(["placed", "confirmed", "preparing", "ready", "picked_up", "delivered"]);
    // The events really crossed fauxqs: published to SNS, consumed from the subscriptions' queues.
    const seen = fauxqs.spy.getAllMessages().flatMap((m) =>
      m.service !== "s3" && m.messageAttributes.subject?.StringValue === orderId
        ? [`${m.service === "sns" ? "sns" : m.queueName}:${m.status}:${m.messageAttributes.type?.StringValue ?? ""}`]
        : [],
    );
    const statuses = ["placed", "confirmed", "preparing", "ready", "picked_up", "delivered"];
    expect(seen).toEqual(expect.arrayContaining(statuses.map((status) => `sns:published:order.${status}`)));
    expect(seen).toContain("tiffin-projections:consumed:order.delivered");
  });
});
