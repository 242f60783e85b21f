import type { PubSub } from "@google-cloud/pubsub";
import { decideDelivery, resolveSubscriptionSpec } from "@tiffin/core";
import type { HandlerOutcome, MessageHandler, SubscriptionSpec } from "@tiffin/core";
import { recordAttribute } from "./dead-letter-record.js";
import { toPubSubMessage } from "./message-attributes.js";
import { PushRequestError, type PubSubPushCodec } from "./push-codec.js";
import type { ResolvedGcpBrokerConfig } from "./gcp-config.js";
import { subscriptionNames } from "./names.js";

/**
 * Handles one push request end to end: decode and verify, run the handler, ask the delivery policy, write a dead
 * letter when it says so, and answer the status the service acts on. The HTTP route that calls it belongs to the
 * worker host.
 */
export class PubSubPushDelivery {
  constructor(
    private readonly codec: PubSubPushCodec,
    private readonly pubsub: PubSub,
    private readonly config: ResolvedGcpBrokerConfig,
  ) {}

  async handle(
    request: { readonly authorization: string | undefined; readonly body: unknown },
    spec: SubscriptionSpec,
    handler: MessageHandler,
  ): Promise<{ status: number; code?: string }> {
    let pushed;
    try {
      pushed = await this.codec.decode(request);
    } catch (error) {
      if (error instanceof PushRequestError) return { status: error.status, code: error.code };
      throw error;
    }
    const resolved = resolveSubscriptionSpec(spec);
    if (pushed.subscription !== resolved.subscription) return { status: 400, code: "PUSH_BODY_INVALID" };
    let outcome: HandlerOutcome;
    if (!pushed.event.ok) {
      outcome = { kind: "unparseable", error: pushed.event.error };
    } else {
      try {
        await handler(pushed.event.value, { subscription: resolved.subscription, attempt: pushed.attempt });
        outcome = { kind: "handled" };
      } catch (error) {
        outcome = { kind: "failed", error };
      }
    }
    const verdict = decideDelivery(outcome, pushed.attempt, resolved);
    if (verdict.action === "dead-letter") {
      try {
        const deadLetterTopic = subscriptionNames(this.config, resolved.subscription).deadLetters;
        const record = recordAttribute({ reason: verdict.reason, attempts: pushed.attempt, at: new Date().toISOString() });
        const { data, attributes } = toPubSubMessage(pushed.raw, record);
        await this.pubsub.topic(deadLetterTopic).publishMessage({ data, attributes });
      } catch {
        return { status: 503 };
      }
    }
    return { status: this.codec.statusFor(verdict) };
  }
}
