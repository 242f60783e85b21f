import type { PayoutParty } from "./events.js";
import type { Money } from "./money.js";
import type { CancelReason } from "./order.js";
import type { PayoutSplit } from "./payment-saga-split.js";

/**
 * Saga status: `running -> completed`, or `compensating -> compensated | failed`. `unresolved`: a forward step was
 * refused after an attempt that went unanswered, so whether money moved is unknown; the reconciliation sweep settles
 * it from the provider's ledger (back to `running` if the movement is there, as a refusal if it is not).
 */
export type SagaStatus = "running" | "completed" | "compensating" | "compensated" | "failed" | "unresolved";

export const SAGA_STATUSES = [
  "running",
  "completed",
  "compensating",
  "compensated",
  "failed",
  "unresolved",
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
  /**
   * True when the order was cancelled after its food was made (a ready order no courier took): the customer is
   * refunded, but the restaurant is still paid its share and never clawed back. Absent: false.
   */
  readonly foodMade?: boolean;
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
  | {
      readonly type: "order.cancelled";
      readonly orderId: string;
      readonly reason: CancelReason;
      readonly at: string;
      readonly messageId?: string;
      /** Cancelled after the food was ready (see SagaState.foodMade). */
      readonly foodMade?: boolean;
    };

/**
 * What came of the in-flight step. `stalled`: transient faults outlasted the retries, the step stays in flight
 * for the recovery sweep; `reissued`: the recovery sweep sends the step again with the same idempotency key;
 * `failed`: the provider refused permanently, which ends a forward step only if no attempt of it went unanswered
 * (else the money may have moved, and the step stays in flight until the provider answers for its key).
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
  | { readonly type: "step.reissued"; readonly step: SagaStepName; readonly at: string }
  /**
   * The provider's ledger answered for an unresolved step's key: `reference` when it shows the movement (the step
   * succeeded), null when it shows none (the refusal stands).
   */
  | { readonly type: "step.settled"; readonly step: SagaStepName; readonly reference: string | null; readonly at: string };

export type SagaInput = SagaOrderInput | SagaOutcomeInput;
