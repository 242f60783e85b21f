import { commandFor, compensationOf } from "./payment-saga-commands.js";
import type {
  SagaAction,
  SagaCommand,
  SagaInput,
  SagaOrderInput,
  SagaOutcomeInput,
  SagaState,
  SagaStatus,
  SagaStepName,
} from "./payment-saga-types.js";

// The saga's types live in payment-saga-types.ts; re-exported so callers import the saga from one place.
export * from "./payment-saga-types.js";

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
  // Undo what was done, except the restaurant's pay for food it made; that pay is still owed if not yet made.
  const kept = (action: SagaAction): boolean => state.foodMade === true && action === "pay_restaurant";
  const next = [...state.completed].reverse().filter((a) => !kept(a)).map(compensationOf).find((c) => !state.compensated.includes(c));
  if (next !== undefined) return start(next, "compensating");
  if (state.foodMade === true && state.completed.includes("charge") && !state.completed.includes("pay_restaurant")) {
    return start("pay_restaurant", "compensating");
  }
  return { ...state, status: "compensated", updatedAt: at };
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
      // An unresolved saga keeps the reason, so that once settled it compensates rather than moves on.
      if (state.cancelReason !== null || (state.status !== "running" && state.status !== "unresolved")) return state;
      return advance({ ...state, cancelReason: input.reason, foodMade: input.foodMade === true, updatedAt: input.at }, input.at, messageId);
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
    case "step.succeeded":
      return succeed(state, input.step, at);
    case "step.settled":
      if (state.status !== "unresolved") return state;
      return input.reference !== null ? succeed(state, input.step, at) : refuse(state, input.step, state.lastError ?? "refused", at);
    case "step.declined":
      return { ...state, status: "compensated", step: null, lastError: input.reason, cancelReason: state.cancelReason ?? "payment_declined", updatedAt: at };
    case "step.failed":
      // A compensation's refusal ends in `failed`, for a human with the ledger. A forward step's refusal drives
      // automatic conclusions (cancel as declined, skip its compensation), so after an unanswered attempt it must not:
      // the saga is `unresolved`, its step still in flight, until the provider's ledger answers for the key.
      if (!isAction(input.step) || state.status === "compensating") return { ...state, status: "failed", step: null, lastError: input.error, updatedAt: at };
      if (state.stepUncertain === true || input.uncertain === true) {
        return { ...state, status: "unresolved", lastError: `unresolved (an earlier attempt went unanswered): ${input.error}`, stepUncertain: true, updatedAt: at };
      }
      return refuse(state, input.step, input.error, at);
  }
}

/** The in-flight step moved its money: record it and start whatever comes next. */
function succeed(state: SagaState, step: SagaStepName, at: string): SagaState {
  const done = isAction(step) ? { completed: [...state.completed, step] } : { compensated: [...state.compensated, step] };
  const lastError = state.status === "compensating" ? state.lastError : null;
  // Only forward steps are ever unresolved; the restaurant's pay for a cancelled order's food runs while compensating.
  const status = state.status !== "unresolved" ? state.status : state.cancelReason === null ? "running" : "compensating";
  return advance({ ...state, ...done, status, step: null, lastError, stepUncertain: false, updatedAt: at }, at, undefined);
}

/** A forward step was refused and certainly moved nothing: compensate what the saga did so far. */
function refuse(state: SagaState, step: SagaStepName, error: string, at: string): SagaState {
  // The restaurant's pay for a cancelled order's food has nothing to fall back on: a human takes it from here.
  if (state.cancelReason !== null && state.foodMade === true) return { ...state, status: "failed", step: null, lastError: error, stepUncertain: false, updatedAt: at };
  return advance(
    {
      ...state,
      status: "compensating",
      step: null,
      lastError: error,
      stepUncertain: false,
      // A charge that cannot be taken ends the order as a decline would.
      cancelReason: step === "charge" ? (state.cancelReason ?? "payment_declined") : state.cancelReason,
      updatedAt: at,
    },
    at,
    undefined,
  );
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
  const refusal = input.type === "step.declined" || input.type === "step.failed" || (input.type === "step.settled" && input.reference === null);
  const chargeRefused = refusal && input.step === "charge" && next.step !== "charge";
  if (chargeRefused && state?.cancelReason === null) {
    commands.push({ type: "cancel_order", orderId: next.orderId, reason: "payment_declined" });
  }
  return commands;
}
