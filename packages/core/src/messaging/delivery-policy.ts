import { isTransient } from "../ports/infrastructure.errors.js";
import { redeliveryDelayMs, type ResolvedSubscriptionSpec } from "./subscription-defaults.js";

/** What became of one delivery in the adapter: the handler ran (and resolved or threw), or the message did not decode. */
export type HandlerOutcome =
  | { readonly kind: "handled" }
  /** The handler threw; `isTransient(error)` decides whether another delivery may help. */
  | { readonly kind: "failed"; readonly error: unknown }
  /** The bytes are not a CloudEvent the codec accepts; the handler never ran. */
  | { readonly kind: "unparseable"; readonly error: unknown };

/** What the adapter must do with the message: delete it, deliver it again after `delayMs`, or move it to the dead-letter queue. */
export type DeliveryVerdict =
  | { readonly action: "ack" }
  | { readonly action: "retry"; readonly delayMs: number; readonly reason: string }
  | { readonly action: "dead-letter"; readonly reason: string };

/**
 * The shape of every dead-letter reason, whichever broker wrote it:
 * - `unparseable: <error message>`: the message did not decode; dead-lettered on its first delivery;
 * - `rejected: <error message>`: the handler threw an error with `transient: false`;
 * - `failed <n> deliveries: <error message>`: the handler threw on the `n`-th delivery and `n >= maxDeliveries`.
 */
export const DEAD_LETTER_REASON = /^(unparseable|rejected|failed \d+ deliveries): /;

/** The text of an error in a reason: its message, never its stack (reasons are shown to operators and stored by brokers). */
const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The delivery rule of every broker adapter, in one place: decode, handle, then ack, retry with growing delay, or
 * dead-letter with a reason. An adapter keeps only its primitives (delete, hide for a delay, move to the dead-letter
 * queue) and asks this function which one to use, so the rule cannot drift between brokers.
 *
 * `attempt` is the delivery count of the message, 1 on first delivery (a broker's receive count). A retry waits
 * `redeliveryDelayMs` (exponential with equal jitter, whole milliseconds rounded up); `random` pins the jitter in tests.
 */
export function decideDelivery(
  outcome: HandlerOutcome,
  attempt: number,
  spec: ResolvedSubscriptionSpec,
  random: () => number = Math.random,
): DeliveryVerdict {
  switch (outcome.kind) {
    case "handled":
      return { action: "ack" };
    case "unparseable":
      return { action: "dead-letter", reason: `unparseable: ${errorText(outcome.error)}` };
    case "failed": {
      const text = errorText(outcome.error);
      if (!isTransient(outcome.error)) return { action: "dead-letter", reason: `rejected: ${text}` };
      if (attempt >= spec.maxDeliveries) return { action: "dead-letter", reason: `failed ${attempt} deliveries: ${text}` };
      const delayMs = Math.ceil(redeliveryDelayMs(attempt, spec.retry, random));
      return { action: "retry", delayMs, reason: `attempt ${attempt} of ${spec.maxDeliveries} failed: ${text}` };
    }
  }
}
