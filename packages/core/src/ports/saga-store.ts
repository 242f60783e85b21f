import type { SagaState, SagaStatus } from "../domain/payment-saga.js";

/** Thrown when a saga was saved by someone else since it was loaded. */
export class SagaVersionConflictError extends Error {
  override readonly name = "SagaVersionConflictError";
  readonly code = "SAGA_VERSION_CONFLICT";
  readonly transient = true;
  constructor(
    readonly orderId: string,
    readonly expectedVersion: number,
  ) {
    super(`saga ${orderId} changed since version ${expectedVersion}`);
  }
}

/** Payment sagas, one per order, persisted with their current step so a crash resumes rather than restarts. */
export interface SagaStore {
  load(orderId: string): Promise<SagaState | null>;

  /**
   * Saves `state` with compare-and-set: inserts when `state.version` is 1 and no saga exists, otherwise
   * updates only if the stored version is `state.version - 1`. Throws SagaVersionConflictError otherwise.
   */
  save(state: SagaState): Promise<void>;

  /** Sagas in a status, most recently updated first. */
  list(filter: { status?: SagaStatus; limit: number }): Promise<SagaState[]>;

  /** Running or compensating sagas with a step in flight whose `updatedAt` is before `olderThan` (for recovery). */
  stalled(olderThan: Date, limit: number): Promise<SagaState[]>;

  /**
   * Running sagas with no step in flight (waiting for an order event) whose `updatedAt` is before `olderThan`, in
   * order id order after `afterOrderId`, so the reconciliation sweep can page through them a batch at a time.
   */
  idle(olderThan: Date, limit: number, afterOrderId?: string): Promise<SagaState[]>;
}
