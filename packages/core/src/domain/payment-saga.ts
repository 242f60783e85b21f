import type { PayoutParty } from "./events.js";
import type { Money } from "./money.js";
import type { CancelReason } from "./order.js";
import { commandFor, compensationOf } from "./payment-saga-commands.js";
import type { PayoutSplit } from "./payment-saga-split.js";

/** Saga status (DESIGN.md §2): `running -> completed`, or `compensating -> compensated | failed`. */
export type SagaStatus = "running" | "completed" | "compensating" | "compensated" | "failed";

export const SAGA_STATUSES = [
  "running",
  "completed",
  "compensating",
  "compensated",
  "failed",
] as const satisfies readonly SagaStatus[];

/** A forward step; each has exactly one compensation. */
export type SagaAction = "charge" | "pay_restaurant" | "pay_courier";

/** The compensation of a forward step. */
export type SagaCompensation = "refund" | "clawback_restaurant" | "clawback_courier";

export type SagaStepName = SagaAction | SagaCompensation;

/** The persisted state of one order's payment saga. */
export interface SagaState {
  readonly orderId: string;
  readonly status: SagaStatus;
  /** The step whose command is in flight (re-issued on recovery), or null while waiting for an order event. */
  readonly step: SagaStepName | null;
  /** Forward steps that succeeded, in the order they ran. */
  readonly completed: readonly SagaAction[];
  /** Compensations that succeeded, in the order they ran. */
  readonly compensated: readonly SagaCompensation[];
  readonly customerId: string;
  readonly restaurantId: string;
  readonly courierId: string | null;
  readonly amount: Money;
  /** Set once the order was cancelled or a step failed permanently; the saga must not move forward again. */
  readonly cancelReason: CancelReason | null;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly version: number;
  readonly startedAt: string;
  readonly updatedAt: string;
  /** The payouts fixed when the saga started, so a re-issued payout never changes its amount. */
  readonly payouts: PayoutSplit;
  /** True once `order.delivered` was seen: steps 2-3 may run. */
  readonly delivered: boolean;
  /** Correlation id of the order's first message, carried onto every event the saga writes. */
  readonly correlationId: string | null;
  /** Id of the message whose handling started the in-flight step: the cause of the events its outcome writes. */
  readonly causationId: string | null;
  /**
   * True once an attempt of the in-flight step went unanswered (stalled, or re-issued after a crash): it may have
   * moved money, so a later permanent refusal under the same key no longer proves that nothing moved. Absent in
   * states saved before this field existed (read as false).
   */
  readonly stepUncertain?: boolean;
}

/** What the saga asks the outside world to do; each money command carries its step's idempotency key. */
export type SagaCommand =
  | { readonly type: "charge"; readonly step: "charge"; readonly idempotencyKey: string; readonly orderId: string; readonly customerId: string; readonly amount: Money }
  | { readonly type: "refund"; readonly step: "refund"; readonly idempotencyKey: string; readonly orderId: string; readonly amount: Money }
  | {
      readonly type: "payout";
      readonly step: "pay_restaurant" | "pay_courier";
      readonly idempotencyKey: string;
      readonly orderId: string;
      readonly party: PayoutParty;
      readonly partyId: string;
      readonly amount: Money;
    }
  | {
      readonly type: "clawback";
      readonly step: "clawback_restaurant" | "clawback_courier";
      readonly idempotencyKey: string;
      readonly orderId: string;
      readonly party: PayoutParty;
      readonly partyId: string;
      readonly amount: Money;
    }
  | { readonly type: "cancel_order"; readonly orderId: string; readonly reason: CancelReason };

/** Facts about the order that drive the saga, as the runner reads them from order events. */
export type SagaOrderInput =
  | {
      readonly type: "order.placed";
      readonly orderId: string;
      readonly customerId: string;
      readonly restaurantId: string;
      readonly amount: Money;
      readonly payouts: PayoutSplit;
      readonly at: string;
      readonly messageId?: string;
      readonly correlationId?: string;
    }
  | { readonly type: "courier.assigned"; readonly orderId: string; readonly courierId: string; readonly at: string; readonly messageId?: string }
  | { readonly type: "order.delivered"; readonly orderId: string; readonly courierId: string; readonly at: string; readonly messageId?: string }
  | { readonly type: "order.cancelled"; readonly orderId: string; readonly reason: CancelReason; readonly at: string; readonly messageId?: string };

/**
 * What came of the in-flight step. `stalled`: transient faults outlasted the retries, the step stays in flight
 * for the recovery sweep; `reissued`: the recovery sweep sends the step again with the same idempotency key;
 * `failed`: the provider refused permanently, which ends the step only if no attempt of it went unanswered (else
 * the money may have moved, and the step stays in flight until the provider answers for its key).
 * An outcome for any step other than the one in flight is stale and changes nothing.
 */
export type SagaOutcomeInput =
  | { readonly type: "step.succeeded"; readonly step: SagaStepName; readonly reference: string; readonly at: string }
  | { readonly type: "step.declined"; readonly step: "charge"; readonly reason: string; readonly at: string }
  | {
      readonly type: "step.failed";
      readonly step: SagaStepName;
      readonly error: string;
      readonly at: string;
      /** True when an earlier attempt of this same call went unanswered (see SagaState.stepUncertain). */
      readonly uncertain?: boolean;
    }
  | { readonly type: "step.stalled"; readonly step: SagaStepName; readonly error: string; readonly at: string }
  | { readonly type: "step.reissued"; readonly step: SagaStepName; readonly at: string };

export type SagaInput = SagaOrderInput | SagaOutcomeInput;

const isTerminal = (status: SagaStatus): boolean => status === "completed" || status === "compensated" || status === "failed";

const isAction = (step: SagaStepName): step is SagaAction =>
  step === "charge" || step === "pay_restaurant" || step === "pay_courier";

/** The saga of a freshly placed order, with the charge in flight. */
export function startSaga(placed: Extract<SagaOrderInput, { type: "order.placed" }>): SagaState {
  const waiting: SagaState = {
    orderId: placed.orderId,
    status: "running",
    step: null,
    completed: [],
    compensated: [],
    customerId: placed.customerId,
    restaurantId: placed.restaurantId,
    courierId: null,
    amount: placed.amount,
    cancelReason: null,
    attempts: 0,
    lastError: null,
    version: 0,
    startedAt: placed.at,
    updatedAt: placed.at,
    payouts: placed.payouts,
    delivered: false,
    correlationId: placed.correlationId ?? null,
    causationId: placed.messageId ?? null,
  };
  return advance(waiting, placed.at, placed.messageId);
}

/** Starts whatever step the facts call for when none is in flight, or ends the saga when nothing is left. */
function advance(state: SagaState, at: string, messageId: string | undefined): SagaState {
  if (state.step !== null || isTerminal(state.status)) return state;
  const start = (step: SagaStepName, status: SagaStatus): SagaState => ({
    ...state,
    status,
    step,
    attempts: 1,
    stepUncertain: false,
    // While compensating, lastError keeps the fault that started the compensation (saga.compensated's reason).
    lastError: status === "compensating" ? state.lastError : null,
    updatedAt: at,
    causationId: messageId ?? state.causationId,
  });
  if (state.status === "running" && state.cancelReason === null) {
    if (!state.completed.includes("charge")) return start("charge", "running");
    if (!state.delivered) return state;
    if (!state.completed.includes("pay_restaurant")) return start("pay_restaurant", "running");
    if (!state.completed.includes("pay_courier")) return start("pay_courier", "running");
    return { ...state, status: "completed", updatedAt: at };
  }
  const next = [...state.completed].reverse().map(compensationOf).find((c) => !state.compensated.includes(c));
  return next === undefined ? { ...state, status: "compensated", updatedAt: at } : start(next, "compensating");
}

/**
 * Folds one input into the saga. Returns the very same object when the input changes nothing (a duplicate, a
 * stale outcome, an event after the end), so callers can tell "nothing to save". A changed state has `version + 1`.
 */
export function evolve(state: SagaState | null, input: SagaInput): SagaState | null {
  const next = state === null ? begin(input) : apply(state, input);
  if (next === state || next === null) return next;
  return { ...next, version: (state?.version ?? 0) + 1 };
}

function begin(input: SagaInput): SagaState | null {
  if (input.type === "order.placed") return startSaga(input);
  if (input.type !== "order.cancelled") return null;
  // Cancelled before the saga saw the placement (reordered or replayed messages): close it, so nothing is ever
  // charged. "XXX" is ISO 4217's "no currency"; a late order.placed fills in the real figures.
  const none = { amount: 0, currency: "XXX" };
  const placed = { orderId: input.orderId, customerId: "", restaurantId: "", amount: none, at: input.at };
  return {
    ...startSaga({ type: "order.placed", ...placed, payouts: { platform: none, courier: none, restaurant: none } }),
    causationId: input.messageId ?? null,
    status: "compensated",
    step: null,
    attempts: 0,
    cancelReason: input.reason,
  };
}

function apply(state: SagaState, input: SagaInput): SagaState {
  const messageId = "messageId" in input ? input.messageId : undefined;
  switch (input.type) {
    case "order.placed":
      // Only fills in a saga that a cancellation closed before the placement arrived.
      if (state.customerId !== "" || state.status !== "compensated") return state;
      return { ...state, customerId: input.customerId, restaurantId: input.restaurantId, amount: input.amount, payouts: input.payouts, updatedAt: input.at };
    case "courier.assigned":
      return state.courierId !== null || isTerminal(state.status) ? state : { ...state, courierId: input.courierId, updatedAt: input.at };
    case "order.delivered":
      if (state.delivered || state.status !== "running" || state.cancelReason !== null) return state;
      return advance({ ...state, delivered: true, courierId: input.courierId, updatedAt: input.at }, input.at, messageId);
    case "order.cancelled":
      if (state.cancelReason !== null || state.status !== "running") return state;
      return advance({ ...state, cancelReason: input.reason, updatedAt: input.at }, input.at, messageId);
    default:
      return input.step === state.step ? applyOutcome(state, input) : state;
  }
}

function applyOutcome(state: SagaState, input: SagaOutcomeInput): SagaState {
  const at = input.at;
  switch (input.type) {
    case "step.reissued":
      return { ...state, attempts: state.attempts + 1, stepUncertain: true, updatedAt: at };
    case "step.stalled":
      return { ...state, lastError: input.error, stepUncertain: true, updatedAt: at };
    case "step.succeeded": {
      const step = input.step;
      const done = isAction(step)
        ? { completed: [...state.completed, step] }
        : { compensated: [...state.compensated, step] };
      const lastError = state.status === "compensating" ? state.lastError : null;
      return advance({ ...state, ...done, step: null, lastError, updatedAt: at }, at, undefined);
    }
    case "step.declined":
      return { ...state, status: "compensated", step: null, lastError: input.reason, cancelReason: state.cancelReason ?? "payment_declined", updatedAt: at };
    case "step.failed":
      if (state.stepUncertain === true || input.uncertain === true) {
        return { ...state, lastError: `unresolved (an earlier attempt went unanswered): ${input.error}`, stepUncertain: true, updatedAt: at };
      }
      if (!isAction(input.step)) return { ...state, status: "failed", step: null, lastError: input.error, updatedAt: at };
      return advance(
        {
          ...state,
          status: "compensating",
          step: null,
          lastError: input.error,
          // A charge that cannot be taken ends the order as a decline would.
          cancelReason: input.step === "charge" ? (state.cancelReason ?? "payment_declined") : state.cancelReason,
          updatedAt: at,
        },
        at,
        undefined,
      );
  }
}

/**
 * The commands an input calls for: the money command of a step that this input started (or, for `step.reissued`,
 * the in-flight step again with its same key), and `cancel_order` when a charge could not be taken and the order
 * was not already cancelled. Never a command for a key already done or in flight.
 */
export function decide(state: SagaState | null, input: SagaInput): SagaCommand[] {
  const next = evolve(state, input);
  if (next === null || next === state) return [];
  const commands: SagaCommand[] = [];
  const inFlight = commandFor(next);
  if (inFlight !== null && (input.type === "step.reissued" || next.step !== state?.step)) commands.push(inFlight);
  const chargeRefused =
    (input.type === "step.declined" || input.type === "step.failed") && input.step === "charge" && next.step !== "charge";
  if (chargeRefused && state?.cancelReason === null) {
    commands.push({ type: "cancel_order", orderId: next.orderId, reason: "payment_declined" });
  }
  return commands;
}
