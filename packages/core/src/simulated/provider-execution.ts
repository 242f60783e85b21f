import type { Clock } from "../ports/clock.js";
import type { LedgerEntry } from "../ports/payment-gateway.js";
import type { ProviderOutcome, ProviderStore } from "./provider-store.js";

/** What a simulated request does when it runs for the first time under its key. */
export type Execution = (at: string) => Promise<{ outcome: ProviderOutcome; entry: LedgerEntry | null }>;

/**
 * Runs `execute` at most once per idempotency key, Stripe-style: a key seen before answers its stored outcome
 * without running again, and of two concurrent first calls only one record is kept and both answer it.
 */
export async function executeOnce(
  store: ProviderStore,
  clock: Clock,
  request: { idempotencyKey: string; orderId: string },
  execute: Execution,
): Promise<ProviderOutcome> {
  const seen = await store.get(request.idempotencyKey);
  if (seen !== null) return seen.outcome;
  const at = clock.now().toISOString();
  const { outcome, entry } = await execute(at);
  const stored = await store.putIfAbsent({ idempotencyKey: request.idempotencyKey, orderId: request.orderId, outcome, entry, at });
  return stored.outcome;
}

/** The system clock, so core needs no adapter for a default. */
export const wallClock: Clock = { now: () => new Date() };
