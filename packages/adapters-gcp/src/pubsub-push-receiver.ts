import type { JWTVerifyGetKey } from "jose";
import { PushRejectedError } from "@tiffin/core";
import type { DeliveryVerdict, PushIntake, PushReceiver, PushRequest } from "@tiffin/core";
import { PubSubPushCodec, PushRequestError, type PushAuthConfig } from "./push-codec.js";

/**
 * Pub/Sub push for the worker's `POST /push/:subscription`: the OIDC token is verified before the body is read, so
 * a forged push never reaches a handler. The body must name a Pub/Sub subscription ending in the path's name.
 */
export class PubSubPushReceiver implements PushReceiver {
  private readonly codec: PubSubPushCodec;

  constructor(auth: PushAuthConfig, deps: { readonly keys?: JWTVerifyGetKey } = {}) {
    // The prefix is checked against the path below, so the codec accepts any.
    this.codec = new PubSubPushCodec(auth, { subscriptionPrefix: "" }, deps);
  }

  async receive(request: PushRequest): Promise<PushIntake> {
    let body: unknown;
    try {
      await this.codec.verify(request.headers.authorization);
      body = JSON.parse(request.body);
    } catch (error) {
      if (error instanceof PushRequestError) throw new PushRejectedError(error.status === 403 ? 403 : 401, error.message);
      throw new Error("Pub/Sub push body is not JSON", { cause: error });
    }
    const pushed = this.codec.read(body);
    if (!pushed.subscription.endsWith(request.subscription)) {
      throw new PushRejectedError(403, `the push names subscription ${pushed.subscription}, not ${request.subscription}`);
    }
    return { kind: "message", message: pushed.raw, attempt: pushed.attempt };
  }

  /**
   * 204 acknowledges; any other status makes the service redeliver after the subscription's retry policy. A dead-letter
   * verdict answers 500 too: a push endpoint cannot publish, so the service's dead-letter policy forwards the message
   * once `max_delivery_attempts` is reached.
   */
  statusFor(verdict: DeliveryVerdict): number {
    return verdict.action === "ack" ? 204 : verdict.action === "retry" ? 503 : 500;
  }
}
