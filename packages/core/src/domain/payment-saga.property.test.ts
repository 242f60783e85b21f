import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { money } from "./money.js";
import { type SagaAction, type SagaInput, type SagaState, type SagaStepName, decide, evolve } from "./payment-saga.js";
import { compensationOf, sagaIdempotencyKey } from "./payment-saga-commands.js";
import { sagaEventId, sagaEvents } from "./payment-saga-events.js";
import { splitPayout } from "./payment-saga-split.js";

const at = "2026-01-01T12:00:00.000Z";
const total = money(2500, "EUR");
const payouts = splitPayout(total, { commissionBps: 1000, courierFee: 500 });
const STEPS: readonly SagaStepName[] = ["charge", "refund", "pay_restaurant", "clawback_restaurant", "pay_courier", "clawback_courier"];

const orderEvents: readonly SagaInput[] = [
  { type: "order.placed", orderId: "o1", customerId: "c1", restaurantId: "r1", amount: total, payouts, at },
  { type: "courier.assigned", orderId: "o1", courierId: "k1", at },
  { type: "order.delivered", orderId: "o1", courierId: "k1", at },
  { type: "order.cancelled", orderId: "o1", reason: "customer_cancelled", at },
];

type Outcome = "succeeded" | "declined" | "failed" | "stalled" | "reissued";
type Action =
  | { kind: "event"; index: number }
  | { kind: "outcome"; outcome: Outcome }
  | { kind: "stale"; step: SagaStepName; outcome: Outcome };

const outcome = fc.oneof(
  { arbitrary: fc.constant<Outcome>("succeeded"), weight: 6 },
  { arbitrary: fc.constantFrom<Outcome>("declined", "failed", "stalled", "reissued"), weight: 3 },
);
const action: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("event" as const), index: fc.nat(orderEvents.length - 1) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("outcome" as const), outcome }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant("stale" as const), step: fc.constantFrom(...STEPS), outcome }), weight: 1 },
);

function outcomeInput(step: SagaStepName, kind: Outcome): SagaInput | null {
  switch (kind) {
    case "succeeded":
      return { type: "step.succeeded", step, reference: `ref-${step}`, at };
    case "declined":
      return step === "charge" ? { type: "step.declined", step, reason: "declined", at } : null;
    case "failed":
      return { type: "step.failed", step, error: "broke", at };
    case "stalled":
      return { type: "step.stalled", step, error: "slow", at };
    case "reissued":
      return { type: "step.reissued", step, at };
  }
}

/** Signed effect of a step on each party's balance, as a provider would book it. */
const MOVEMENT: Record<SagaStepName, { party: "customer" | "restaurant" | "courier"; sign: number }> = {
  charge: { party: "customer", sign: -1 },
  refund: { party: "customer", sign: 1 },
  pay_restaurant: { party: "restaurant", sign: 1 },
  clawback_restaurant: { party: "restaurant", sign: -1 },
  pay_courier: { party: "courier", sign: 1 },
  clawback_courier: { party: "courier", sign: -1 },
};
const amountOf = (step: SagaStepName): number =>
  MOVEMENT[step].party === "customer" ? total.amount : payouts[MOVEMENT[step].party as "restaurant" | "courier"].amount;

describe("payment saga properties", () => {
  it("commands each key at most once, compensates exactly the completed steps in reverse, and balances the books", () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), (actions) => {
        let state = null as SagaState | null;
        const issued = new Set<string>();
        const compensationsIssued: SagaStepName[] = [];
        const eventIds = new Set<string>();
        const balance = { customer: 0, restaurant: 0, courier: 0 };
        for (const a of actions) {
          const input: SagaInput | null =
            a.kind === "event"
              ? orderEvents[a.index]!
              : a.kind === "stale"
                ? outcomeInput(a.step, a.outcome)
                : state?.step
                  ? outcomeInput(state.step, a.outcome)
                  : null;
          if (input === null) continue;
          const commands = decide(state, input);
          const next = evolve(state, input);
          for (const command of commands) {
            if (command.type === "cancel_order") continue;
            if (input.type === "step.reissued") {
              // A re-issue after a crash is the same key as the step in flight, never a new movement.
              expect(command.idempotencyKey).toBe(sagaIdempotencyKey("o1", state!.step!));
              expect(issued.has(command.idempotencyKey)).toBe(true);
              continue;
            }
            expect(issued.has(command.idempotencyKey)).toBe(false);
            issued.add(command.idempotencyKey);
            if (command.type === "refund" || command.type === "clawback") compensationsIssued.push(command.step);
          }
          if (input.type === "step.succeeded" && state?.step === input.step) {
            const { party, sign } = MOVEMENT[input.step];
            balance[party] += sign * amountOf(input.step);
          }
          if (next !== null && next !== state) {
            for (const event of sagaEvents(state, next, input)) {
              expect(eventIds.has(sagaEventId(event))).toBe(false);
              eventIds.add(sagaEventId(event));
            }
          }
          state = next;
        }
        if (state === null) return;
        const expectedCompensations = [...state.completed].reverse().map((s: SagaAction) => compensationOf(s));
        if (state.status === "compensated") {
          expect(compensationsIssued).toEqual(expectedCompensations);
          expect(state.compensated).toEqual(expectedCompensations);
          expect(balance).toEqual({ customer: 0, restaurant: 0, courier: 0 });
        } else if (state.status === "failed") {
          expect(expectedCompensations.slice(0, compensationsIssued.length)).toEqual(compensationsIssued);
        } else if (state.status === "completed") {
          expect(compensationsIssued).toEqual([]);
          expect(balance).toEqual({ customer: -total.amount, restaurant: payouts.restaurant.amount, courier: payouts.courier.amount });
        } else {
          expect(expectedCompensations.slice(0, compensationsIssued.length)).toEqual(compensationsIssued);
        }
      }),
      { numRuns: 500 },
    );
  });
});
