import { execFileSync } from "node:child_process";
import { type KeyObject, createPrivateKey, generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { type Server, createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DISPATCH_EVENT_TYPES, ORDER_EVENTS_TOPIC, PAYMENT_SAGA_EVENT_TYPES, SUBSCRIPTIONS, type SubscriptionSpec } from "@tiffin/core";
import { type FauxqsServer, startFauxqs } from "fauxqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The CLI's process harness and test OIDC issuer: this test runs the built `tiffin serve` and `tiffin work`.
import { TestOidcIssuer, TiffinProcess, waitFor } from "@tiffin/cli/testing";
import { ensureTopology } from "./aws-broker.js";
import type { QueueRef } from "./topology.js";
import { SnsHttpPusher, signSnsMessage } from "./test-support/sns-http-pusher.js";

/** `serve` and `work` are separate processes sharing one database: a real PostgreSQL (CI sets it). */
const sharedDatabase = process.env.TIFFIN_TEST_DATABASE_URL !== undefined;
const run = randomUUID().slice(0, 8);
const SECRET = `tick-secret-${randomUUID()}`;
const AUDIENCE = "https://worker.example/tasks/tick";
const SCHEDULER = "scheduler@tiffin-test.iam.gserviceaccount.com";
const ORDER = { restaurantId: "r-curry-house", items: [{ itemId: "dal", quantity: 1 }], deliveryAddress: { lat: 52.521, lng: 13.41 } };
const COURIERS = ["c-anna", "c-ben", "c-chen"];
/** The worker's subscriptions with their filters, as `tiffin work` consumes them. */
const SPECS: SubscriptionSpec[] = [
  { topic: ORDER_EVENTS_TOPIC, subscription: SUBSCRIPTIONS.paymentSaga, eventTypes: PAYMENT_SAGA_EVENT_TYPES },
  { topic: ORDER_EVENTS_TOPIC, subscription: SUBSCRIPTIONS.kitchen, eventTypes: ["payment.captured"] },
  { topic: ORDER_EVENTS_TOPIC, subscription: SUBSCRIPTIONS.courierAssignment, eventTypes: DISPATCH_EVENT_TYPES },
  { topic: ORDER_EVENTS_TOPIC, subscription: SUBSCRIPTIONS.projections },
];

/** SNS's side: the signing certificate and the SubscribeURL, on loopback; records what the worker fetched. */
class SnsSide {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly fetched: string[],
  ) {}

  static async start(certificate: string): Promise<SnsSide> {
    const fetched: string[] = [];
    const server = createServer((request, response) => {
      fetched.push(request.url ?? "");
      if (request.url === "/SimpleNotificationService-test.pem") response.writeHead(200).end(certificate);
      else if (request.url?.startsWith("/confirm")) response.writeHead(200).end("<ConfirmSubscriptionResponse/>");
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (typeof address !== "object" || address === null) throw new Error("no address");
    return new SnsSide(server, `http://127.0.0.1:${address.port}/`, fetched);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let folder: string;
let key: KeyObject;
let sns: SnsSide;
let fauxqs: FauxqsServer;
let issuer: TestOidcIssuer;
let topicArn: string;
let queues: Record<string, QueueRef>;
let api: TiffinProcess;
let worker: TiffinProcess;
let pusher: SnsHttpPusher;
let sqs: SQSClient;

beforeAll(async () => {
  if (!sharedDatabase) return;
  folder = mkdtempSync(join(tmpdir(), "tiffin-sns-"));
  // A signing key and a certificate for it, as SNS publishes at its SigningCertURL.
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(folder, "key.pem"), "-out", join(folder, "cert.pem"), "-days", "1", "-subj", "/CN=sns.test"], { stdio: "ignore" });
  key = createPrivateKey(readFileSync(join(folder, "key.pem")));
  sns = await SnsSide.start(readFileSync(join(folder, "cert.pem"), "utf8"));
  issuer = await TestOidcIssuer.start();
  fauxqs = await startFauxqs({ port: 0, logger: false });
  const aws = { AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: fauxqs.address, AWS_ACCESS_KEY_ID: "fauxqs", AWS_SECRET_ACCESS_KEY: "fauxqs" };
  process.env.AWS_ACCESS_KEY_ID ??= "fauxqs";
  process.env.AWS_SECRET_ACCESS_KEY ??= "fauxqs";
  const topology = await ensureTopology({ region: "us-east-1", endpoint: fauxqs.address, createTopology: true }, { topics: [ORDER_EVENTS_TOPIC], subscriptions: SPECS });
  topicArn = topology.topicArns[ORDER_EVENTS_TOPIC] ?? "";
  queues = topology.queues;
  const env = { TIFFIN_BROKER: "aws", ...aws, TIFFIN_SNS_TOPIC_ARN: topicArn, TIFFIN_KITCHEN: "auto", TIFFIN_KITCHEN_PREP_MS: "300" };
  const schema = `e2e_sns_${run}`;
  api = await TiffinProcess.start({ command: "serve", schema, env });
  // The worker as on a request-driven platform: no pull loops, only pushes and ticks.
  worker = await TiffinProcess.start({
    command: "work",
    schema,
    env: {
      ...env,
      TIFFIN_DELIVERY: "push",
      TIFFIN_SNS_TEST_CERT_URL_PREFIX: sns.url,
      TIFFIN_TASK_SECRET: SECRET,
      TIFFIN_OIDC_AUDIENCE: AUDIENCE,
      TIFFIN_OIDC_EMAILS: SCHEDULER,
      TIFFIN_OIDC_JWKS_URL: issuer.jwksUrl,
    },
  });
  sqs = new SQSClient({ region: "us-east-1", endpoint: fauxqs.address, credentials: { accessKeyId: "fauxqs", secretAccessKey: "fauxqs" } });
  pusher = new SnsHttpPusher(sqs, queues, { topicArn, key, certUrl: `${sns.url}SimpleNotificationService-test.pem`, pushUrl: (s) => `${worker.url}/push/${s}` });
});
afterAll(async () => {
  await worker?.dispose();
  await api?.dispose();
  sqs?.destroy();
  await fauxqs?.stop();
  await issuer?.close();
  await sns?.close();
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

const tick = (headers: Record<string, string>) => worker.request("POST", "/tasks/tick", { headers });

describe.skipIf(!sharedDatabase)("tiffin work with SNS HTTPS push and a tick, no pull loops", () => {
  it("refuses forged and unauthenticated pushes and ticks, and confirms only its own topic's subscription", async () => {
    const certUrl = `${sns.url}SimpleNotificationService-test.pem`;
    const genuine = pusher.notification({ Message: "{}", MessageAttributes: {} });
    const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const refused: [string, number][] = [
      ["not an SNS message", await pusher.post("projections", { hello: "world" })],
      ["signed by another key", await pusher.post("projections", signSnsMessage({ ...genuine }, otherKey, certUrl))],
      ["tampered after signing", await pusher.post("projections", { ...genuine, Message: '{"amount":1}' })],
      ["another topic", await pusher.post("projections", pusher.notification({ Message: "{}", TopicArn: `${topicArn}-other` }))],
      ["certificate from a foreign host", await pusher.post("projections", signSnsMessage({ ...genuine }, key, "https://evil.example/cert.pem"))],
      ["raw delivery", await pusher.post("projections", "{}", { "x-amz-sns-rawdelivery": "true" })],
    ];
    expect(refused).toEqual([
      ["not an SNS message", 401],
      ["signed by another key", 403],
      ["tampered after signing", 403],
      ["another topic", 403],
      ["certificate from a foreign host", 403],
      ["raw delivery", 403],
    ]);
    expect(sns.fetched.some((url) => url.includes("evil"))).toBe(false);

    const confirmation = (topic: string, token: string) =>
      signSnsMessage(
        { Type: "SubscriptionConfirmation", MessageId: randomUUID(), TopicArn: topic, Message: "confirm", Timestamp: new Date().toISOString(), Token: token, SubscribeURL: `${sns.url}confirm?token=${token}` },
        key,
        certUrl,
      );
    expect(await pusher.post("projections", confirmation(`${topicArn}-other`, "other"))).toBe(403);
    expect(await pusher.post("projections", confirmation(topicArn, "ours"))).toBe(200);
    expect(sns.fetched.filter((url) => url.startsWith("/confirm"))).toEqual(["/confirm?token=ours"]);

    expect((await tick({})).status).toBe(401);
    expect((await tick({ "x-tiffin-task-secret": "wrong" })).status).toBe(403);
    expect((await tick({ authorization: `Bearer ${await issuer.token(AUDIENCE, "intruder@else.iam.gserviceaccount.com")}` })).status).toBe(403);
    expect((await tick({ authorization: `Bearer ${await issuer.token("https://another.example/", SCHEDULER)}` })).status).toBe(401);
    const scheduled = await tick({ authorization: `Bearer ${await issuer.token(AUDIENCE, SCHEDULER)}` });
    expect(scheduled.status, scheduled.body as string).toBe(200);
    expect(scheduled.json).toMatchObject({ drained: true, errors: [], reconciled: 0 });
  });

  it("takes an order from placed to delivered and paid out with only pushes and ticks", async () => {
    const customer = await api.token("customer", `cust-sns-${run}`);
    const admin = await api.token("admin", "ops");
    const placed = await api.request("POST", "/v1/orders", { token: customer, body: ORDER, headers: { "idempotency-key": `sns-${run}` } });
    expect(placed.status, placed.body as string).toBe(201);
    const orderId = placed.json.id as string;

    // The API published `order.placed` to SNS right after its commit, before answering, with no tick yet; the
    // payment-saga subscription holds it, since nothing pulls.
    const waiting = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues[SUBSCRIPTIONS.paymentSaga]?.url, VisibilityTimeout: 0, MessageAttributeNames: ["All"], WaitTimeSeconds: 1 }));
    const placedMessage = waiting.Messages?.find((m) => m.MessageAttributes?.subject?.StringValue === orderId);
    expect(placedMessage?.MessageAttributes?.type?.StringValue).toBe("order.placed");
    // A forged copy is refused and moves no money.
    const forged = pusher.notification({ Message: placedMessage?.Body ?? "", MessageAttributes: {} });
    expect(await pusher.post(SUBSCRIPTIONS.paymentSaga, { ...forged, Message: `${forged.Message} ` })).toBe(403);
    expect((await api.request("GET", `/admin/payments/${orderId}`, { token: admin })).json.items).toEqual([]);

    // The platform's side: a scheduler ticks, SNS pushes; the courier acts through the API.
    const couriers = Object.fromEntries(await Promise.all(COURIERS.map(async (c) => [c, await api.token("courier", c)] as const)));
    let courier: string | undefined;
    const drive = async (): Promise<void> => {
      await tick({ "x-tiffin-task-secret": SECRET });
      await pusher.pushOnce();
    };
    await waitFor("an offer to a courier", async () => {
      await drive();
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
      await drive();
      return (await api.request("GET", `/v1/orders/${orderId}`, { token: customer })).json.status === "ready" ? true : undefined;
    }, 60_000, 300);
    expect((await api.request("POST", `/v1/orders/${orderId}/picked-up`, { token: courierToken })).status).toBe(200);
    expect((await api.request("POST", `/v1/orders/${orderId}/delivered`, { token: courierToken })).status).toBe(200);
    const view = await waitFor("the order to be delivered and paid out", async () => {
      await drive();
      const answer = await api.request("GET", `/v1/orders/${orderId}`, { token: customer });
      return answer.json.status === "delivered" && answer.json.paymentStatus === "paid_out" ? answer.json : undefined;
    }, 60_000, 300);
    expect(view.timeline.map((t: { status: string }) => t.status)).toEqual(["placed", "confirmed", "preparing", "ready", "picked_up", "delivered"]);
    const ledger = await api.request("GET", `/admin/payments/${orderId}`, { token: admin });
    expect((ledger.json.items as { kind: string; party: string }[]).map((e) => `${e.kind}:${e.party}`).sort()).toEqual(["charge:customer", "payout:courier", "payout:restaurant"]);
    expect((await api.request("GET", `/admin/sagas/${orderId}`, { token: admin })).json.status).toBe("completed");
    // Every push the worker answered was acknowledged: nothing was left for SNS to retry or dead-letter.
    expect(pusher.answers.filter((a) => a.status !== 200)).toEqual([]);
  });
});
