import type { Money } from "../domain/money.js";
import type { Clock } from "../ports/clock.js";
import { InfrastructureError, InfrastructureErrorCode } from "../ports/infrastructure.errors.js";
import type { LedgerEntry } from "../ports/payment-gateway.js";
import type { ProviderOutcome, ProviderRecord, ProviderStore } from "./provider-store.js";

/** What a simulated request does when it runs for the first time under its key. */
export type Execution = (at: string) => Promise<{ outcome: ProviderOutcome; entry: LedgerEntry | null }>;

/**
 * Runs `execute` at most once per idempotency key, Stripe-style: a key seen before answers its stored outcome
 * without running again, and of two concurrent first calls only one record is kept and both answer it. A key
 * reused for another order or another amount is refused permanently (Stripe's "same parameters" rule), so a
 * caller that changed a request under an old key learns it rather than getting the old request's answer.
 */
export async function executeOnce(
  store: ProviderStore,
  clock: Clock,
  request: { idempotencyKey: string; orderId: string; amount: Money },
  execute: Execution,
): Promise<ProviderOutcome> {
  const seen = await store.get(request.idempotencyKey);
  if (seen !== null) return sameRequest(seen, request).outcome;
  const at = clock.now().toISOString();
  const { outcome, entry } = await execute(at);
  const stored = await store.putIfAbsent({ idempotencyKey: request.idempotencyKey, orderId: request.orderId, outcome, entry, at });
  return sameRequest(stored, request).outcome;
}

/** The record, if it was made by a request with these parameters (a decline records no amount to compare). */
function sameRequest(record: ProviderRecord, request: { idempotencyKey: string; orderId: string; amount: Money }): ProviderRecord {
  const amount = record.entry?.amount;
  const differs =
    record.orderId !== request.orderId ||
    (amount !== undefined && (amount.amount !== request.amount.amount || amount.currency !== request.amount.currency));
  if (!differs) return record;
  throw new InfrastructureError(
    InfrastructureErrorCode.Unexpected,
    `simulated provider: idempotency key ${request.idempotencyKey} was used with other parameters`,
    { transient: false },
  );
}

/** The system clock, so core needs no adapter for a default. */
export const wallClock: Clock = { now: () => new Date() };
