import { randomUUID } from "node:crypto";
import type { SubscriptionRuntime, Consumer } from "./subscription-runtime.js";
import type { Delivery, SubscriptionQueue } from "./subscription-queue.js";

/** Signs the OIDC token of a push request; the claims are those Google puts in its push tokens. */
export type OidcSigner = (claims: Record<string, unknown>) => Promise<string>;

// Status codes the service takes as an acknowledgement (https://cloud.google.com/pubsub/docs/push#receive_push).
const ACK_STATUSES = new Set([102, 200, 201, 202, 204]);
const MAX_IN_FLIGHT = 32;

/** The JSON body of a wrapped push request, as the service sends it. */
export function pushBody(runtime: SubscriptionRuntime, delivery: Delivery): Record<string, unknown> {
  const { message } = delivery;
  const publishTime = message.publishTime.toISOString();
  const attempt = runtime.deliveryAttempt(delivery);
  return {
    message: {
      attributes: { ...message.attributes },
      data: message.data.toString("base64"),
      messageId: message.messageId,
      message_id: message.messageId,
      publishTime,
      publish_time: publishTime,
      ...(message.orderingKey === "" ? {} : { orderingKey: message.orderingKey }),
    },
    subscription: runtime.resource.name,
    ...(attempt > 0 ? { deliveryAttempt: attempt } : {}),
  };
}

/**
 * Push delivery: POSTs each message to the endpoint with an OIDC token when the push config asks for one. 102, 200,
 * 201, 202 and 204 acknowledge; any other status, a network error or no answer within the ack deadline is a nack,
 * so the message comes back after the retry policy's backoff (or push backoff).
 */
export class PushDeliverer implements Consumer {
  readonly id = `push-${randomUUID()}`;
  private inFlight = 0;
  private closed = false;

  constructor(
    private readonly runtime: SubscriptionRuntime,
    private readonly signer: OidcSigner | undefined,
  ) {}

  offer(queue: SubscriptionQueue): void {
    const push = this.runtime.resource.pushConfig;
    if (this.closed || push === null || push.pushEndpoint === "") return;
    const room = MAX_IN_FLIGHT - this.inFlight;
    if (room <= 0) return;
    for (const delivery of queue.take(this, room, Infinity, this.runtime.ackDeadlineMs)) {
      this.inFlight += 1;
      void this.post(push.pushEndpoint, push.oidcToken, delivery).then((acked) => {
        this.inFlight -= 1;
        if (this.closed) return;
        if (acked) queue.acknowledge([delivery.ackId]);
        else queue.modifyAckDeadline([delivery.ackId], 0);
      });
    }
  }

  close(): void {
    this.closed = true;
  }

  private async post(
    endpoint: string,
    oidc: { serviceAccountEmail: string; audience: string } | null | undefined,
    delivery: Delivery,
  ): Promise<boolean> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    try {
      if (oidc?.serviceAccountEmail) {
        if (this.signer === undefined) return false;
        const now = Math.floor(Date.now() / 1000);
        const token = await this.signer({
          iss: "https://accounts.google.com",
          aud: oidc.audience || endpoint,
          azp: "emulator-push",
          sub: "100000000000000000000",
          email: oidc.serviceAccountEmail,
          email_verified: true,
          iat: now,
          exp: now + 3600,
        });
        headers.authorization = `Bearer ${token}`;
      }
      const response = await fetch(endpoint, {
        method: "POST",
        headers,
        body: JSON.stringify(pushBody(this.runtime, delivery)),
        signal: AbortSignal.timeout(this.runtime.ackDeadlineMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      return ACK_STATUSES.has(response.status);
    } catch {
      return false;
    }
  }
}
