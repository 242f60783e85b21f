import {
  type HandlerOutcome,
  type Logger,
  type MessageHandler,
  MessageParseError,
  type PushReceiver,
  type SubscriptionSpec,
  decodeCloudEvent,
  decideDelivery,
  isPushRejected,
  resolveSubscriptionSpec,
} from "@tiffin/core";
import type { FastifyInstance } from "fastify";
import { sendProblem } from "./problem.js";

/** SNS allows 256 KiB per message; Pub/Sub push wraps up to 10 MB in base64. Bodies past this are refused. */
const PUSH_BODY_LIMIT = 1_048_576;

/** What the push endpoint needs: the broker's receiver and the worker's consumer of each subscription. */
export interface PushRouteDeps {
  readonly receiver: PushReceiver;
  readonly logger: Logger;
  readonly consumer: (subscription: string) => { spec: SubscriptionSpec; handler: MessageHandler } | undefined;
}

/**
 * `POST /push/:subscription`: a message the broker pushes, run through the same handler, inbox and delivery policy
 * as a pulled one; the verdict becomes the status the broker acts on (2xx acknowledges, others redeliver). The
 * receiver authenticates the request before anything in it is used: a forged or unauthenticated push is 401/403
 * and never reaches a handler.
 */
export function registerPushRoutes(app: FastifyInstance, deps: PushRouteDeps): void {
  void app.register(async (scope) => {
    // The receiver verifies the body exactly as sent, whatever content type the broker declares.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "string", bodyLimit: PUSH_BODY_LIMIT }, (_request, body, done) => done(null, body));
    scope.post<{ Params: { subscription: string } }>("/push/:subscription", { config: { public: true }, bodyLimit: PUSH_BODY_LIMIT }, async (request, reply) => {
      const { subscription } = request.params;
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value[0] : value]));
      let intake;
      try {
        intake = await deps.receiver.receive({ subscription, headers, body: typeof request.body === "string" ? request.body : "" });
      } catch (error) {
        if (!isPushRejected(error)) throw error;
        return sendProblem(reply, error.status, error.status === 401 ? "UNAUTHENTICATED" : "FORBIDDEN", error.message, request.url);
      }
      if (intake.kind === "control") return reply.code(200).send({ status: intake.detail });
      const consumer = deps.consumer(subscription);
      // Unknown here: answer 5xx so the broker keeps the message (a misrouted subscription must not lose it).
      if (consumer === undefined) return sendProblem(reply, 503, "SUBSCRIPTION_NOT_CONSUMED", `this worker does not consume ${subscription}`, request.url);
      const attempt = intake.attempt ?? 1;
      let outcome: HandlerOutcome;
      try {
        const event = decodeCloudEvent(intake.message);
        try {
          await consumer.handler(event, { subscription, attempt });
          outcome = { kind: "handled" };
        } catch (error) {
          outcome = { kind: "failed", error };
        }
      } catch (error) {
        if (!(error instanceof MessageParseError)) throw error;
        outcome = { kind: "unparseable", error };
      }
      const verdict = decideDelivery(outcome, attempt, resolveSubscriptionSpec(consumer.spec));
      if (verdict.action !== "ack") deps.logger.warn("pushed message not acknowledged", { subscription, id: intake.message.attributes.id, verdict: verdict.action, reason: verdict.reason });
      return reply.code(deps.receiver.statusFor(verdict)).send(verdict);
    });
  });
}
