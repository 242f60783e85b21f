import { Buffer } from "node:buffer";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PubSub } from "@google-cloud/pubsub";
import { createTestOidcKey, type TestOidcKey } from "@tiffin/pubsub-emulator";
import { encodeCloudEvent, type CloudEvent } from "@tiffin/core";
import { testEvent, uniqueName, waitFor } from "@tiffin/core/testing";
import { createLocalJWKSet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GcpBroker } from "./gcp-broker.js";
import { PubSubPushCodec } from "./push-codec.js";
import type { PubSubPushDelivery } from "./push-delivery.js";
import { TEST_PROJECT, usePubSubEmulator } from "./test-support/emulator.js";

const PUSHER = "pusher@tiffin-test.iam.gserviceaccount.com";
const AUDIENCE = "https://worker.tiffin.test/push";

let key: TestOidcKey;
let forger: TestOidcKey;
// The emulator signs with whichever key the test holds: the real one, or a forger's.
let signing: () => TestOidcKey;
const pubsub = usePubSubEmulator({ oidcSigner: (claims) => signing().signer(claims) });

let server: Server;
let endpoint: string;
let route: (authorization: string | undefined, body: unknown) => Promise<number>;
const answered: number[] = [];

beforeAll(async () => {
  key = await createTestOidcKey("google-1");
  forger = await createTestOidcKey("google-1");
  signing = () => key;
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      void route(request.headers.authorization, JSON.parse(Buffer.concat(chunks).toString())).then((status) => {
        answered.push(status);
        response.statusCode = status;
        response.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/push`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A push subscription as deployment would create it: OIDC token for the worker, dead-letter policy. */
async function pushSubscription(broker: GcpBroker, retry = true): Promise<{ topic: string; subscription: string }> {
  const client = new PubSub({ apiEndpoint: pubsub.emulator().host, projectId: TEST_PROJECT });
  const topic = uniqueName("t");
  const subscription = uniqueName("s");
  const names = { main: `tiffin-${subscription}`, dead: `tiffin-${subscription}-dead-letters` };
  await client.createTopic(topic);
  await client.createTopic(names.dead);
  await client.topic(names.dead).createSubscription(names.dead);
  await client.topic(topic).createSubscription(names.main, {
    pushConfig: { pushEndpoint: endpoint, oidcToken: { serviceAccountEmail: PUSHER, audience: AUDIENCE } },
    deadLetterPolicy: { deadLetterTopic: client.topic(names.dead).name, maxDeliveryAttempts: 5 },
    ...(retry ? { retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 2 } } } : {}),
  });
  await client.close();
  expect(broker.config.subscriptionPrefix).toBe("tiffin-");
  return { topic, subscription };
}

const deliveryFor = (broker: GcpBroker): PubSubPushDelivery =>
  broker.pushDelivery({ audience: AUDIENCE, emails: [PUSHER] }, { keys: createLocalJWKSet(key.jwks) });

describe("Pub/Sub push delivery", () => {
  it("decodes a verified push into the same CloudEvent the pull path delivers, and acknowledges it", async () => {
    const broker = new GcpBroker(pubsub.config());
    const { topic, subscription } = await pushSubscription(broker);
    const delivery = deliveryFor(broker);
    const handled: { event: CloudEvent; attempt: number }[] = [];
    route = (authorization, body) =>
      delivery
        .handle({ authorization, body }, { topic, subscription }, async (event, info) => void handled.push({ event, attempt: info.attempt }))
        .then((r) => r.status);
    const event = testEvent({ subject: "order-42", traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" });
    await broker.publisher.publish(topic, [event]);
    await waitFor(() => handled.length === 1, { timeoutMs: 10_000, what: "the pushed event" });
    expect(handled[0]).toEqual({ event, attempt: 1 });
    await broker.close();
  });

  it("refuses a forged token (401) without running the handler, and a token for another account (403)", async () => {
    const broker = new GcpBroker(pubsub.config());
    const codec = new PubSubPushCodec({ audience: AUDIENCE, emails: [PUSHER] }, broker.config, { keys: createLocalJWKSet(key.jwks) });
    const body = {
      message: { data: Buffer.from(encodeCloudEvent(testEvent()).body).toString("base64"), attributes: encodeCloudEvent(testEvent()).attributes, messageId: "1" },
      subscription: `projects/${TEST_PROJECT}/subscriptions/tiffin-kitchen`,
    };
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: "https://accounts.google.com", aud: AUDIENCE, email: PUSHER, email_verified: true, iat: now, exp: now + 600 };
    const forged = await forger.signer(claims);
    await expect(codec.decode({ authorization: `Bearer ${forged}`, body })).rejects.toMatchObject({ code: "PUSH_UNAUTHENTICATED", status: 401 });
    const otherAccount = await key.signer({ ...claims, email: "intruder@evil.iam.gserviceaccount.com" });
    await expect(codec.decode({ authorization: `Bearer ${otherAccount}`, body })).rejects.toMatchObject({ status: 403 });
    const otherAudience = await key.signer({ ...claims, aud: "https://elsewhere.example" });
    await expect(codec.decode({ authorization: `Bearer ${otherAudience}`, body })).rejects.toMatchObject({ status: 401 });
    await expect(codec.decode({ authorization: undefined, body })).rejects.toMatchObject({ status: 401 });
    const genuine = await key.signer(claims);
    await expect(codec.decode({ authorization: `Bearer ${genuine}`, body: { subscription: "x" } })).rejects.toMatchObject({
      code: "PUSH_BODY_INVALID",
      status: 400,
    });
    await expect(codec.decode({ authorization: `Bearer ${genuine}`, body })).resolves.toMatchObject({ subscription: "kitchen", attempt: 1 });
    await broker.close();
  });

  it("never runs the handler for pushes signed by a forged key; the service keeps retrying them", async () => {
    const broker = new GcpBroker(pubsub.config());
    const { topic, subscription } = await pushSubscription(broker);
    const delivery = deliveryFor(broker);
    let handled = 0;
    answered.length = 0;
    route = (authorization, body) =>
      delivery.handle({ authorization, body }, { topic, subscription }, async () => void (handled += 1)).then((r) => r.status);
    signing = () => forger;
    try {
      await broker.publisher.publish(topic, [testEvent()]);
      await waitFor(() => answered.length >= 2, { timeoutMs: 10_000, what: "two refused pushes" });
      expect(handled).toBe(0);
      expect(answered.every((status) => status === 401)).toBe(true);
    } finally {
      signing = () => key;
    }
    await waitFor(() => handled === 1, { timeoutMs: 10_000, what: "the push once genuinely signed" });
    await broker.close();
  });

  it("answers 503 to retry and dead-letters through the subscription's dead-letter topic after maxDeliveries", async () => {
    const broker = new GcpBroker(pubsub.config());
    const { topic, subscription } = await pushSubscription(broker);
    const delivery = deliveryFor(broker);
    const attempts: number[] = [];
    route = (authorization, body) =>
      delivery
        .handle({ authorization, body }, { topic, subscription, maxDeliveries: 2 }, async (_event, info) => {
          attempts.push(info.attempt);
          throw new Error("kitchen printer on fire");
        })
        .then((r) => r.status);
    const event = testEvent();
    await broker.publisher.publish(topic, [event]);
    let letters: Awaited<ReturnType<typeof broker.deadLetters.list>> = [];
    await waitFor(async () => (letters = await broker.deadLetters.list(subscription)).length === 1, { timeoutMs: 15_000, what: "a dead letter" });
    expect(attempts).toEqual([1, 2]);
    expect(letters[0]).toMatchObject({ message: event, attempts: 2, reason: "failed 2 deliveries: kitchen printer on fire" });
    await broker.close();
  });
});
