import { type AnyDomainEvent, domainEvent } from "./events.js";
import type { SagaInput, SagaState } from "./payment-saga-types.js";

/**
 * The domain events that one saga transition announces: the money movement its outcome confirms
 * (payment.captured, payment.declined, payment.refunded, payout.paid) and the saga's end (saga.completed,
 * saga.compensated, saga.failed). Clawbacks have no event type of their own; they show in the
 * provider's ledger and in the saga's `compensated` list. Each event type occurs at most once per saga
 * (payout.paid once per party), so `${orderId}:saga:${type}[:party]` is a stable, unique message id.
 */
export function sagaEvents(before: SagaState | null, after: SagaState, input: SagaInput): AnyDomainEvent[] {
  const events: AnyDomainEvent[] = [];
  const { orderId } = after;
  const at = input.at;
  const ranStep = before !== null && "step" in input && input.step === before.step && input.type !== "step.reissued";
  const reference = input.type === "step.succeeded" || input.type === "step.settled" ? input.reference : null;
  if (ranStep && reference !== null) {
    if (input.step === "charge") {
      events.push(domainEvent("payment.captured", orderId, at, { amount: after.amount, paymentId: reference }));
    } else if (input.step === "refund") {
      events.push(domainEvent("payment.refunded", orderId, at, { amount: after.amount, paymentId: reference }));
    } else if (input.step === "pay_restaurant") {
      const data = { party: "restaurant", partyId: after.restaurantId, amount: after.payouts.restaurant, payoutId: reference } as const;
      events.push(domainEvent("payout.paid", orderId, at, data));
    } else if (input.step === "pay_courier") {
      const data = { party: "courier", partyId: after.courierId ?? "", amount: after.payouts.courier, payoutId: reference } as const;
      events.push(domainEvent("payout.paid", orderId, at, data));
    }
  }
  // A refusal announces a decline only when it ended the charge (one after an unanswered attempt does not).
  const refusal =
    input.type === "step.declined"
      ? input.reason
      : input.type === "step.failed"
        ? input.error
        : input.type === "step.settled" && input.reference === null
          ? (before?.lastError ?? "refused")
          : null;
  if (ranStep && input.step === "charge" && refusal !== null && after.step !== "charge") {
    events.push(domainEvent("payment.declined", orderId, at, { reason: refusal }));
  }
  if (before?.status !== after.status) {
    if (after.status === "completed") events.push(domainEvent("saga.completed", orderId, at, {}));
    if (after.status === "compensated") {
      const reason = after.cancelReason ?? after.lastError ?? "compensated";
      events.push(domainEvent("saga.compensated", orderId, at, { reason }));
    }
    if (after.status === "failed") events.push(domainEvent("saga.failed", orderId, at, { reason: after.lastError ?? "failed" }));
  }
  return events;
}

/** The stable message id of a saga event (see sagaEvents). */
export function sagaEventId(event: AnyDomainEvent): string {
  const party = event.type === "payout.paid" ? `:${event.data.party}` : "";
  return `${event.orderId}:saga:${event.type}${party}`;
}
