import { randomUUID } from "node:crypto";
import { PubSub } from "@google-cloud/pubsub";
import { DISPATCH_EVENT_TYPES, ORDER_EVENTS_TOPIC, PAYMENT_SAGA_EVENT_TYPES, SUBSCRIPTIONS, type SubscriptionSpec } from "@tiffin/core";
import { type PubSubEmulator, startPubSubEmulator } from "@tiffin/pubsub-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The CLI's process harness and test OIDC issuer: this test runs the built `tiffin serve` and `tiffin work`.
import { TestOidcIssuer, TiffinProcess, waitFor } from "@tiffin/cli/testing";
import { subscriptionFilter } from "./subscription-filter.js";

// The emulator needs no credentials; keep google-auth-library from probing the GCE metadata server.
process.env.METADATA_SERVER_DETECTION = "none";

/** `serve` and `work` are separate processes sharing one database: a real PostgreSQL (CI sets it). */
const sharedDatabase = process.env.TIFFIN_TEST_DATABASE_URL !== undefined;
const run = randomUUID().slice(0, 8);
const PROJECT = "tiffin-e2e";
const AUDIENCE = "https://worker.example/";
const PUSHER = "pubsub-push@tiffin-e2e.iam.gserviceaccount.com";
const SCHEDULER = "scheduler@tiffin-e2e.iam.gserviceaccount.com";
const ORDER = { restaurantId: "r-curry-house", items: [{ itemId: "dal", quantity: 1 }], deliveryAddress: { lat: 52.521, lng: 13.41 } };
const COURIERS = ["c-anna", "c-ben", "c-chen"];
/** The worker's subscriptions with their filters, as `tiffin work` consumes them. */
const SPECS: SubscriptionSpec[] = [
  { topic: ORDER_EVENTS_TOPIC, subscription: SUBSCRIPTIONS.paymentSaga, eventTypes: PAYMENT_SAGA_EVENT_TYPES },
  { topic: ORDER_EVENTS_TOPIC, subscription: SUBSCRIPTIONS.kitchen, eventTypes: ["payment.captured"] },
  { topic: ORDER_EVENTS_TOPIC, subscription: SUBSCRIPTIONS.courierAssignment, eventTypes: DISPATCH_EVENT_TYPES },
  { topic: ORDER_EVENTS_TOPIC, subscription: SUBSCRIPTIONS.projections },
];

let issuer: TestOidcIssuer;
let emulator: PubSubEmulator;
let api: TiffinProcess;
let worker: TiffinProcess;

/**
 * The push subscriptions as a deployment creates them (examples/deploy/gcp-cloud-run): the adapter's names and
 * filters, ordering, an OIDC token for the worker's audience, and a dead-letter topic.
 */
async function pushSubscriptions(workerUrl: string): Promise<void> {
  const client = new PubSub({ apiEndpoint: emulator.host, projectId: PROJECT });
  const [topic] = await client.createTopic(ORDER_EVENTS_TOPIC);
  for (const spec of SPECS) {
    const id = `tiffin-${spec.subscription}`;
    const [dead] = await client.createTopic(`${id}-dead-letters`);
    await dead.createSubscription(`${id}-dead-letters`);
    await topic.createSubscription(id, {
      filter: subscriptionFilter(spec.subscription, spec.eventTypes).filter,
      enableMessageOrdering: true,
      pushConfig: { pushEndpoint: `${workerUrl}/push/${spec.subscription}`, oidcToken: { serviceAccountEmail: PUSHER, audience: AUDIENCE } },
      deadLetterPolicy: { deadLetterTopic: dead.name, maxDeliveryAttempts: 5 },
      retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 2 } },
    });
  }
  await client.close();
}

beforeAll(async () => {
  if (!sharedDatabase) return;
  issuer = await TestOidcIssuer.start();
  // The emulator signs its push tokens as Google would; the worker verifies them against the issuer's JWKS.
  emulator = await startPubSubEmulator({ oidcSigner: (claims) => issuer.token(String(claims.aud), String(claims.email)) });
  const env = {
    TIFFIN_BROKER: "gcp",
    GOOGLE_CLOUD_PROJECT: PROJECT,
    PUBSUB_EMULATOR_HOST: emulator.host,
    TIFFIN_KITCHEN: "auto",
    TIFFIN_KITCHEN_PREP_MS: "300",
  };
  const schema = `e2e_pubsub_push_${run}`;
  // The worker as on Cloud Run with CPU only during requests: no pull loops, only pushes and scheduler ticks.
  worker = await TiffinProcess.start({
    command: "work",
    schema,
    env: { ...env, TIFFIN_DELIVERY: "push", TIFFIN_OIDC_AUDIENCE: AUDIENCE, TIFFIN_OIDC_EMAILS: `${PUSHER},${SCHEDULER}`, TIFFIN_OIDC_JWKS_URL: issuer.jwksUrl },
  });
  await pushSubscriptions(worker.url);
  api = await TiffinProcess.start({ command: "serve", schema, env });
});
afterAll(async () => {
  await api?.dispose();
  await worker?.dispose();
  await emulator?.close();
  await issuer?.close();
});

const tick = async () => worker.request("POST", "/tasks/tick", { headers: { authorization: `Bearer ${await issuer.token(AUDIENCE, SCHEDULER)}` } });

describe.skipIf(!sharedDatabase)("tiffin work with Pub/Sub push and a scheduler tick, no pull loops", () => {
  it("refuses a push without a token, or with a token for another audience or account", async () => {
    const body = { message: { data: "", attributes: {}, messageId: "1" }, subscription: `projects/${PROJECT}/subscriptions/tiffin-projections` };
    const push = async (authorization?: string) =>
      (await worker.request("POST", "/push/projections", { body, headers: authorization === undefined ? {} : { authorization } })).status;
    expect(await push()).toBe(401);
    expect(await push(`Bearer ${await issuer.token("https://another.example/", PUSHER)}`)).toBe(401);
    expect(await push(`Bearer ${await issuer.token(AUDIENCE, "intruder@else.iam.gserviceaccount.com")}`)).toBe(403);
  });

  it("takes an order from placed to delivered and paid out with the emulator pushing and a scheduler ticking", async () => {
    const customer = await api.token("customer", `cust-push-${run}`);
    const admin = await api.token("admin", "ops");
    const placed = await api.request("POST", "/v1/orders", { token: customer, body: ORDER, headers: { "idempotency-key": `push-${run}` } });
    expect(placed.status, placed.body as string).toBe(201);
    const orderId = placed.json.id as string;

    // The API published order.placed right after its commit; the emulator pushed it to the worker, which charged.
    await waitFor("the charge, with no tick yet", async () => {
      const ledger = await api.request("GET", `/admin/payments/${orderId}`, { token: admin });
      return (ledger.json.items as { kind: string }[]).some((e) => e.kind === "charge") ? true : undefined;
    }, 30_000, 200);

    // From here, what the worker's handlers write reaches the topic on the scheduler's ticks.
    const couriers = Object.fromEntries(await Promise.all(COURIERS.map(async (c) => [c, await api.token("courier", c)] as const)));
    let courier: string | undefined;
    await waitFor("an offer to a courier", async () => {
      expect((await tick()).status).toBe(200);
      for (const [name, token] of Object.entries(couriers)) {
        const offer = (await api.request("GET", "/v1/couriers/me/offers", { token })).json.items.find((o: { orderId: string }) => o.orderId === orderId);
        if (offer === undefined) continue;
        expect((await api.request("POST", `/v1/offers/${offer.id}/accept`, { token, body: { token: offer.token } })).status).toBe(200);
        courier = name;
        return true;
      }
      return undefined;
    }, 60_000, 300);
    const courierToken = couriers[courier ?? ""] ?? "";
    await waitFor("the order to be ready", async () => {
      await tick();
      return (await api.request("GET", `/v1/orders/${orderId}`, { token: customer })).json.status === "ready" ? true : undefined;
    }, 60_000, 300);
    expect((await api.request("POST", `/v1/orders/${orderId}/picked-up`, { token: courierToken })).status).toBe(200);
    expect((await api.request("POST", `/v1/orders/${orderId}/delivered`, { token: courierToken })).status).toBe(200);
    const view = await waitFor("the order to be delivered and paid out", async () => {
      await tick();
      const answer = await api.request("GET", `/v1/orders/${orderId}`, { token: customer });
      return answer.json.status === "delivered" && answer.json.paymentStatus === "paid_out" ? answer.json : undefined;
    }, 60_000, 300);
    expect(view.timeline.map((t: { status: string }) => t.status)).toEqual(["placed", "confirmed", "preparing", "ready", "picked_up", "delivered"]);
    const ledger = await api.request("GET", `/admin/payments/${orderId}`, { token: admin });
    expect((ledger.json.items as { kind: string; party: string }[]).map((e) => `${e.kind}:${e.party}`).sort()).toEqual(["charge:customer", "payout:courier", "payout:restaurant"]);
    expect((await api.request("GET", `/admin/sagas/${orderId}`, { token: admin })).json.status).toBe("completed");
    // Nothing was dead-lettered: every push was eventually acknowledged.
    for (const spec of SPECS) {
      const letters = await api.request("GET", `/admin/dead-letters?subscription=${spec.subscription}`, { token: admin });
      expect(letters.json.items, spec.subscription).toEqual([]);
    }
  });
});
