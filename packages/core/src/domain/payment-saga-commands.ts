import type { SagaAction, SagaCommand, SagaCompensation, SagaState, SagaStepName } from "./payment-saga-types.js";

const COMPENSATION_OF: Readonly<Record<SagaAction, SagaCompensation>> = {
  charge: "refund",
  pay_restaurant: "clawback_restaurant",
  pay_courier: "clawback_courier",
};

/** The compensation that undoes a forward step. */
export const compensationOf = (action: SagaAction): SagaCompensation => COMPENSATION_OF[action];

/** The idempotency key of a step: one key per order and step, so a re-issue never moves money twice. */
export function sagaIdempotencyKey(orderId: string, step: SagaStepName): string {
  switch (step) {
    case "charge":
      return `charge:${orderId}`;
    case "refund":
      return `refund:${orderId}`;
    case "pay_restaurant":
      return `payout:restaurant:${orderId}`;
    case "clawback_restaurant":
      return `clawback:restaurant:${orderId}`;
    case "pay_courier":
      return `payout:courier:${orderId}`;
    case "clawback_courier":
      return `clawback:courier:${orderId}`;
  }
}

/** The money command of the in-flight step (also what recovery re-issues), or null when none is in flight. */
export function commandFor(state: SagaState): SagaCommand | null {
  const { orderId, step } = state;
  if (step === null) return null;
  const idempotencyKey = sagaIdempotencyKey(orderId, step);
  switch (step) {
    case "charge":
      return { type: "charge", step, idempotencyKey, orderId, customerId: state.customerId, amount: state.amount };
    case "refund":
      return { type: "refund", step, idempotencyKey, orderId, amount: state.amount };
    case "pay_restaurant":
    case "clawback_restaurant": {
      const party = { party: "restaurant", partyId: state.restaurantId, amount: state.payouts.restaurant } as const;
      return step === "pay_restaurant"
        ? { type: "payout", step, idempotencyKey, orderId, ...party }
        : { type: "clawback", step, idempotencyKey, orderId, ...party };
    }
    case "pay_courier":
    case "clawback_courier": {
      const party = { party: "courier", partyId: state.courierId ?? "", amount: state.payouts.courier } as const;
      return step === "pay_courier"
        ? { type: "payout", step, idempotencyKey, orderId, ...party }
        : { type: "clawback", step, idempotencyKey, orderId, ...party };
    }
  }
}
