import { Buffer } from "node:buffer";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOidcKey, type TestOidcKey } from "./oidc-signer.js";
import { unique, until, useEmulator } from "./test-support/emulator-clients.js";

const SECOND_MS = 20;
let key: TestOidcKey;
let endpoint: string;
let server: Server;
interface Received {
  path: string;
  body: Record<string, unknown>;
  authorization: string | undefined;
}
const received: Received[] = [];
// Status to answer, by request path: a list consumed one per request, then 204.
const answers = new Map<string, number[]>();

beforeAll(async () => {
  key = await createTestOidcKey();
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "";
      received.push({ path, body: JSON.parse(Buffer.concat(chunks).toString()), authorization: request.headers.authorization });
      response.statusCode = answers.get(path)?.shift() ?? 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const clients = useEmulator({ secondMs: SECOND_MS, oidcSigner: (claims) => key.signer(claims) });

describe("push subscriptions", () => {
  it("POSTs the documented push body with an OIDC token signed by the configured key, for the configured audience", async () => {
    const { pubsub } = clients();
    const [topic] = await pubsub.createTopic(unique("orders"));
    const [deadTopic] = await pubsub.createTopic(unique("dead"));
    const path = `/push/${unique("kitchen")}`;
    const [subscription] = await topic.createSubscription(unique("kitchen"), {
      // A long deadline (12 s here): signing and the first connection must not count as a failed push.
      ackDeadlineSeconds: 600,
      pushConfig: {
        pushEndpoint: `${endpoint}${path}`,
        oidcToken: { serviceAccountEmail: "pusher@tiffin-test.iam.gserviceaccount.com", audience: "https://worker.example/push" },
      },
      deadLetterPolicy: { deadLetterTopic: deadTopic.name, maxDeliveryAttempts: 5 },
    });
    const messageId = await pubsub.topic(topic.name, { messageOrdering: true }).publishMessage({
      data: Buffer.from('{"n":1}'),
      attributes: { type: "order.placed" },
      orderingKey: "order-1",
    });
    await until(() => received.some((r) => r.path === path), "the push request");
    const request = received.find((r) => r.path === path);
    expect(request?.body).toMatchObject({
      subscription: subscription.name,
      deliveryAttempt: 1,
      message: { attributes: { type: "order.placed" }, data: Buffer.from('{"n":1}').toString("base64"), messageId, orderingKey: "order-1" },
    });
    const message = request?.body.message as { publishTime: string };
    expect(Number.isNaN(Date.parse(message.publishTime))).toBe(false);
    const token = request?.authorization?.replace(/^Bearer /, "") ?? "";
    const { payload } = await jwtVerify(token, createLocalJWKSet(key.jwks), {
      issuer: "https://accounts.google.com",
      audience: "https://worker.example/push",
    });
    expect(payload).toMatchObject({ email: "pusher@tiffin-test.iam.gserviceaccount.com", email_verified: true });
  });

  it("takes 102, 200, 201, 202 and 204 as an ack and retries any other status with backoff", async () => {
    const { pubsub } = clients();
    const [topic] = await pubsub.createTopic(unique("orders"));
    const path = `/push/${unique("retry")}`;
    answers.set(path, [500, 429, 200]);
    await topic.createSubscription(unique("retry"), {
      pushConfig: { pushEndpoint: `${endpoint}${path}` },
      retryPolicy: { minimumBackoff: { seconds: 5 }, maximumBackoff: { seconds: 60 } },
    });
    const times: number[] = [];
    const seen = (): Received[] => received.filter((r) => r.path === path);
    await topic.publishMessage({ data: Buffer.from("x") });
    await until(() => {
      if (seen().length > times.length) times.push(performance.now());
      return seen().length === 3;
    }, `3 push attempts, saw ${seen().length}`);
    await new Promise((resolve) => setTimeout(resolve, 30 * SECOND_MS));
    expect(seen().length).toBe(3);
    expect(new Set(seen().map((r) => (r.body.message as { messageId: string }).messageId)).size).toBe(1);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(5 * SECOND_MS - 12);
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(10 * SECOND_MS - 12);
  });
});
