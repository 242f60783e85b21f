import { Buffer } from "node:buffer";
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import { decodeCloudEvent } from "@tiffin/core";
import type { CloudEvent, DeliveryVerdict, EncodedMessage } from "@tiffin/core";
import { toEncodedMessage } from "./message-attributes.js";
import { tiffinSubscription } from "./names.js";

/** Who may push: Google signs push tokens for the subscription's service account and audience. */
export interface PushAuthConfig {
  /** The `aud` the subscription's push config sets (by default the endpoint URL). */
  readonly audience: string;
  /** Service-account emails whose tokens are accepted. */
  readonly emails: readonly string[];
  /** Google's keys unless told otherwise. */
  readonly jwksUrl?: string;
  readonly issuers?: readonly string[];
}

/** A push request refused before any handler ran; `status` is what to answer (the service retries non-2xx). */
export class PushRequestError extends Error {
  override readonly name = "PushRequestError";
  constructor(
    readonly code: "PUSH_UNAUTHENTICATED" | "PUSH_BODY_INVALID",
    readonly status: 400 | 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

/** A verified push delivery, as the pull path would have produced it. */
export interface PushedMessage {
  /** The Tiffin subscription (the Pub/Sub subscription id without the prefix). */
  readonly subscription: string;
  readonly messageId: string;
  /** `deliveryAttempt` of the push body (set when the subscription has a dead-letter policy), else 1. */
  readonly attempt: number;
  readonly raw: EncodedMessage;
  /** The CloudEvent, or the reason it did not decode (dead-letter at once). */
  readonly event: { readonly ok: true; readonly value: CloudEvent } | { readonly ok: false; readonly error: unknown };
}

const GOOGLE_JWKS = "https://www.googleapis.com/oauth2/v3/certs";
const GOOGLE_ISSUERS = ["https://accounts.google.com", "accounts.google.com"];

/**
 * Turns a Pub/Sub push request into the message the pull path produces: verifies the OIDC token (signature against
 * the JWKS, issuer, audience, a verified service-account email from the allowed list), reads the documented push
 * body, and maps the delivery policy's verdict to the status the service understands.
 */
export class PubSubPushCodec {
  private readonly keys: JWTVerifyGetKey;

  constructor(
    private readonly auth: PushAuthConfig,
    private readonly config: { readonly subscriptionPrefix: string },
    deps: { readonly keys?: JWTVerifyGetKey } = {},
  ) {
    if (auth.audience === "" || auth.emails.length === 0) {
      throw new Error("push needs an audience and at least one service-account email");
    }
    this.keys = deps.keys ?? createRemoteJWKSet(new URL(auth.jwksUrl ?? GOOGLE_JWKS));
  }

  /** Verifies and decodes one push request; throws PushRequestError for a refused token or a malformed body. */
  async decode(request: { readonly authorization: string | undefined; readonly body: unknown }): Promise<PushedMessage> {
    await this.verify(request.authorization);
    return this.read(request.body);
  }

  /**
   * The status for a verdict: 204 acknowledges (after a dead letter was written, too); 503 makes the service
   * redeliver after the subscription's retry policy, the only delay push delivery has.
   */
  statusFor(verdict: DeliveryVerdict): number {
    return verdict.action === "retry" ? 503 : 204;
  }

  /** Checks the bearer token; throws PushRequestError (401, or 403 for a token from another account). */
  async verify(authorization: string | undefined): Promise<void> {
    const token = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
    if (token === undefined) throw new PushRequestError("PUSH_UNAUTHENTICATED", 401, "push request without a bearer token");
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: [...(this.auth.issuers ?? GOOGLE_ISSUERS)],
        audience: this.auth.audience,
        algorithms: ["RS256"],
      }));
    } catch (error) {
      throw new PushRequestError("PUSH_UNAUTHENTICATED", 401, `push token refused: ${(error as Error).message}`);
    }
    if (payload.email_verified !== true || typeof payload.email !== "string" || !this.auth.emails.includes(payload.email)) {
      throw new PushRequestError("PUSH_UNAUTHENTICATED", 403, "push token is not from an allowed service account");
    }
  }

  /** Reads the documented push body; throws PushRequestError (400) for anything else. */
  read(body: unknown): PushedMessage {
    const invalid = (why: string): PushRequestError => new PushRequestError("PUSH_BODY_INVALID", 400, `push body ${why}`);
    if (typeof body !== "object" || body === null) throw invalid("is not a JSON object");
    const { message, subscription, deliveryAttempt } = body as Record<string, unknown>;
    if (typeof subscription !== "string") throw invalid("has no subscription");
    if (typeof message !== "object" || message === null) throw invalid("has no message");
    const { data, attributes, messageId } = message as Record<string, unknown>;
    if (typeof messageId !== "string") throw invalid("has no message.messageId");
    if (data !== undefined && typeof data !== "string") throw invalid("message.data is not base64 text");
    const attrs = attributes ?? {};
    if (typeof attrs !== "object" || Object.values(attrs).some((v) => typeof v !== "string")) {
      throw invalid("message.attributes is not a string map");
    }
    const id = subscription.split("/").pop() ?? "";
    const name = tiffinSubscription(this.config, id);
    if (name === undefined) throw invalid(`names a subscription outside prefix "${this.config.subscriptionPrefix}": ${subscription}`);
    const raw = toEncodedMessage(Buffer.from(data ?? "", "base64"), attrs as Record<string, string>);
    let event: PushedMessage["event"];
    try {
      event = { ok: true, value: decodeCloudEvent(raw) };
    } catch (error) {
      event = { ok: false, error };
    }
    const attempt = typeof deliveryAttempt === "number" && deliveryAttempt > 0 ? deliveryAttempt : 1;
    return { subscription: name, messageId, attempt, raw, event };
  }
}
