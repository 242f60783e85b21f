import { Buffer } from "node:buffer";
import { encodeCloudEvent, isPushRejected } from "@tiffin/core";
import { testEvent } from "@tiffin/core/testing";
import { createTestOidcKey } from "@tiffin/pubsub-emulator";
import { createLocalJWKSet } from "jose";
import { describe, expect, it } from "vitest";
import { PubSubPushReceiver } from "./pubsub-push-receiver.js";

const PUSHER = "pusher@tiffin-test.iam.gserviceaccount.com";
const AUDIENCE = "https://worker.tiffin.test/push/kitchen";

describe("PubSubPushReceiver (POST /push/:subscription)", () => {
  it("verifies the token before reading the body, refuses forged ones, and decodes genuine pushes", async () => {
    const key = await createTestOidcKey();
    const forger = await createTestOidcKey();
    const receiver = new PubSubPushReceiver({ audience: AUDIENCE, emails: [PUSHER] }, { keys: createLocalJWKSet(key.jwks) });
    const event = testEvent({ subject: "order-1" });
    const encoded = encodeCloudEvent(event);
    const body = JSON.stringify({
      message: { attributes: encoded.attributes, data: Buffer.from(encoded.body).toString("base64"), messageId: "42" },
      subscription: "projects/tiffin-prod/subscriptions/tiffin-kitchen",
      deliveryAttempt: 3,
    });
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: "https://accounts.google.com", aud: AUDIENCE, email: PUSHER, email_verified: true, iat: now, exp: now + 600 };
    const request = (token: string, subscription = "kitchen") => ({ subscription, headers: { authorization: `Bearer ${token}` }, body });

    const forged = receiver.receive(request(await forger.signer(claims)));
    await expect(forged).rejects.toSatisfy(isPushRejected);
    await expect(receiver.receive({ subscription: "kitchen", headers: {}, body })).rejects.toMatchObject({ status: 401 });
    await expect(receiver.receive(request(await key.signer({ ...claims, email: "x@evil.example" })))).rejects.toMatchObject({ status: 403 });
    await expect(receiver.receive(request(await key.signer(claims), "projections"))).rejects.toMatchObject({ status: 403 });
    await expect(receiver.receive(request(await key.signer(claims)))).resolves.toEqual({ kind: "message", message: encoded, attempt: 3 });
    expect([receiver.statusFor({ action: "ack" }), receiver.statusFor({ action: "retry", delayMs: 1000, reason: "x" })]).toEqual([204, 503]);
  });
});
