import { ExponentialBackoff, handleWhen, retry } from "cockatiel";
import type { Result } from "../../domain/result.js";
import { InfrastructureError } from "../../ports/infrastructure.errors.js";
import type { Principal } from "../../ports/principal.js";
import type { TransactionStores, UnitOfWork } from "../../ports/unit-of-work.js";

class RollBack {
  constructor(readonly result: Result<unknown, unknown>) {}
}

/**
 * Runs `fn` in one transaction and keeps its writes only when it returns `ok`: an `err` rolls back everything
 * `fn` wrote (e.g. an offer resolved before the order refused the courier) and is returned as a value.
 */
export async function transact<T, E>(
  uow: UnitOfWork,
  principal: Principal,
  fn: (tx: TransactionStores) => Promise<Result<T, E>>,
): Promise<Result<T, E>> {
  try {
    return await uow.run(principal, async (tx) => {
      const result = await fn(tx);
      if (!result.ok) throw new RollBack(result);
      return result;
    });
  } catch (error) {
    // An adapter may wrap what `fn` threw; the rollback marker is then its cause.
    const marker = error instanceof RollBack ? error : (error as { cause?: unknown } | null)?.cause;
    if (marker instanceof RollBack) return marker.result as Result<T, E>;
    throw error;
  }
}

const CONFLICT_CODES = new Set(["ORDER_VERSION_CONFLICT", "VIEW_REVISION_CONFLICT", "SAGA_VERSION_CONFLICT"]);

/** True for optimistic-concurrency conflicts, which a fresh attempt resolves. */
export const isConflict = (error: unknown): boolean =>
  typeof error === "object" && error !== null && CONFLICT_CODES.has((error as { code?: unknown }).code as string);

const conflictRetry = retry(handleWhen(isConflict), {
  maxAttempts: 6,
  backoff: new ExponentialBackoff({ initialDelay: 2, maxDelay: 100 }),
});

/**
 * Retries `work` on optimistic-concurrency conflicts (two writers on one order or view) with short jittered
 * backoff; other errors pass through. `work` must start a fresh transaction each time.
 */
export const retryOnConflict = <T>(work: () => Promise<T>): Promise<T> => conflictRetry.execute(work);

/** True for an infrastructure fault that says a retry may succeed (a lost connection, a failover). */
const isTransientFault = (error: unknown): boolean => error instanceof InfrastructureError && error.transient;

const outcomeRetry = retry(handleWhen((error) => isConflict(error) || isTransientFault(error)), {
  maxAttempts: 8,
  backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 2_000 }),
});

/**
 * Retries `work` on conflicts and on transient infrastructure faults, for a fact that exists only in memory until it
 * commits (a provider's answer): losing it would leave the step to a much later re-issue. Only for idempotent
 * work: a commit whose answer was lost may have happened, and the retry must then change nothing.
 */
export const retryUntilRecorded = <T>(work: () => Promise<T>): Promise<T> => outcomeRetry.execute(work);
