import type { EncodedMessage } from "../messaging/cloud-event-codec.js";
import type { DeliveryVerdict } from "../messaging/delivery-policy.js";

/** A request a broker pushed to `POST /push/:subscription`, as the host received it. */
export interface PushRequest {
  /** The `:subscription` of the path. */
  readonly subscription: string;
  /** Request headers with lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body as received, unparsed. */
  readonly body: string;
}

/** A verified push: one message to handle, or a broker control message the receiver dealt with itself. */
export type PushIntake =
  | {
      readonly kind: "message";
      readonly message: EncodedMessage;
      /** The broker's delivery count (1 on first delivery), or null when the broker does not say. */
      readonly attempt: number | null;
    }
  | { readonly kind: "control"; readonly detail: string };

/** Why a push was refused before anything in it was used: no credentials (401) or credentials that do not hold (403). */
export class PushRejectedError extends Error {
  readonly code = "PUSH_REJECTED";
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

export const isPushRejected = (error: unknown): error is PushRejectedError =>
  typeof error === "object" && error !== null && (error as { code?: unknown }).code === "PUSH_REJECTED";

/**
 * Optional ability of a broker adapter: accepting messages the broker pushes over HTTP (Pub/Sub push, SNS HTTPS).
 * The host runs the same handler, inbox and delivery policy as the pull path and answers with `statusFor`.
 */
export interface PushReceiver {
  /**
   * Authenticates the request, then decodes it. Throws PushRejectedError, before any of its content is used, when
   * the request is not provably from the broker, so a forged push never reaches a handler.
   */
  receive(request: PushRequest): Promise<PushIntake>;
  /** The HTTP status that makes this broker do what the verdict says (acknowledge, redeliver, dead-letter). */
  statusFor(verdict: DeliveryVerdict): number;
}
