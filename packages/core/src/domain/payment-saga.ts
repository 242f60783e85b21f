import type { PayoutParty } from "./events.js";
import type { Money } from "./money.js";
import type { CancelReason } from "./order.js";

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
